import Foundation
import Detection
import Incidents
import Logging
import MWRASPCore
import Storage

/// Detection as one running whole: the catalog, the detectors, canaries, incidents and the
/// pipeline that drives them, opened from the store (what responders added over the API, the
/// incidents still in play) and the deployment's settings. The API and the executable hold it.
public final class DetectionRuntime: Sendable {
    public static let canaryRecordKind = "canary"

    public let store: any DetectionStore
    public let catalog: Catalog
    public let canaries: CanaryRegistry
    public let incidents: IncidentService
    public let suite: DetectorSuite
    public let rules: RuleLibrary
    public let iocs: IOCLibrary
    public let pipeline: DetectionPipeline
    public let now: @Sendable () -> Int64

    init(store: any DetectionStore, catalog: Catalog, canaries: CanaryRegistry, incidents: IncidentService,
         suite: DetectorSuite, rules: RuleLibrary, iocs: IOCLibrary, pipeline: DetectionPipeline, now: @escaping @Sendable () -> Int64) {
        self.rules = rules
        self.iocs = iocs
        self.store = store
        self.catalog = catalog
        self.canaries = canaries
        self.incidents = incidents
        self.suite = suite
        self.pipeline = pipeline
        self.now = now
    }

    /// Loads everything and returns a runtime whose pipeline is not started yet.
    public static func open(store: any DetectionStore, settings: DetectionSettings, now: @escaping @Sendable () -> Int64,
                            logger: Logger) async throws -> DetectionRuntime {
        let catalog = try Catalog.load(userDirectory: settings.catalogDirectory.map { URL(fileURLWithPath: $0) })
        let decoder = JSONDecoder()
        let canaryRecords = try await store.records(kind: canaryRecordKind).map {
            try decoder.decode(CanaryToken.self, from: Data($0.document))
        }
        let canaries = CanaryRegistry(configuration: settings.canaries, records: canaryRecords)
        let detectors = try CatalogDetectors.make(catalog: catalog, configuration: settings.catalogOverrides, canaries: canaries)
        let iocLists = try await IOCLibrary.load(from: store)
        let suite = DetectorSuite(
            rules: DetectorSuite.CompiledRules(sigma: SigmaRuleSet(), correlationRules: []),
            iocs: IOCMatcher(lists: iocLists), baselines: settings.baselines, catalog: detectors)
        let rules = RuleLibrary(store: store) { suite.replaceRules($0) }
        suite.replaceRules(try await rules.load(directory: settings.rulesDirectory))
        let iocs = IOCLibrary(store: store, lists: iocLists) { suite.replaceIOCs($0) }
        let incidents = try await IncidentService.restore(from: store, now: now())
        let pipeline = DetectionPipeline(store: store, engine: suite, incidents: incidents, now: now, logger: logger)
        logger.info("\(rules.report.summaryLine)")
        logger.info("detection ready", metadata: [
            "sigma_rules": "\(suite.currentRules.sigma.rules.count)",
            "correlation_rules": "\(suite.currentRules.correlationRules.count)",
            "ioc_lists": "\(iocLists.count)",
            "catalog": "\(catalog.definitions.map(\.id).joined(separator: ","))",
            "canaries": "\(canaries.count)",
        ])
        return DetectionRuntime(store: store, catalog: catalog, canaries: canaries, incidents: incidents,
                                suite: suite, rules: rules, iocs: iocs, pipeline: pipeline, now: now)
    }

    public func start() async throws {
        try await pipeline.start()
    }

    public func stop() async {
        await pipeline.stop()
        try? await saveCanaries()
    }

    /// Canary records with their hit counts (hits seen in events are counted in memory by the
    /// detector; this writes them back).
    public func saveCanaries() async throws {
        for record in canaries.records() {
            try await saveCanary(record)
        }
    }

    public func saveCanary(_ token: CanaryToken) async throws {
        try await store.putRecord(ManagedRecord(
            kind: Self.canaryRecordKind, id: token.id, createdAt: token.createdAt, document: IncidentService.encode(token)))
    }

    /// A finding made outside the event stream (a canary URL hit): stored as a detection and
    /// correlated like any other.
    public func record(_ finding: Finding, eventTime: Int64) async throws {
        let detectedAt = now()
        var detection = Detection(id: DetectionIDs.next(milliseconds: detectedAt), finding: finding,
                                  detectedAt: detectedAt, eventTime: eventTime, latencySeconds: 0)
        var batch = DetectionBatch()
        incidents.correlate(&detection, now: detectedAt, into: &batch)
        incidents.finish(now: now(), into: &batch)
        batch.detections.append(DetectionRow(
            id: detection.id, detectorID: finding.detectorID, type: finding.type.rawValue, severity: finding.severity.rawValue,
            incidentID: detection.incidentID, detectedAt: detectedAt, document: DetectionView(detection).encoded()))
        try await store.commit(batch)
    }
}
