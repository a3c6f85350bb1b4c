import Detection
import MWRASPCore
import Synchronization

/// Every detector the pipeline runs on an event, in one `FindingEngine`.
public final class DetectorSuite: FindingEngine {
    /// The seed's catalog detectors (QTD-001/002/003, COMP-001) and the canary scan.
    private let catalog: CatalogDetectors.Instances

    public init(catalog: CatalogDetectors.Instances) {
        self.catalog = catalog
    }

    public func findings(for input: DetectionInput) -> [Finding] {
        var out: [Finding] = []
        for detector in catalog.all {
            out += detector.evaluate(input)
        }
        return out
    }
}
