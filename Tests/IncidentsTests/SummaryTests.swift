import MWRASPCore
import Testing
@testable import Incidents

/// `join` updates the incident's summary from the joining finding alone; it must agree with the
/// full pass over every finding (`refreshSummary`) after any sequence of joins.
@Suite struct IncrementalSummaryTests {
    @Test(arguments: [UInt64(7), 8, 9])
    func joiningAgreesWithTheFullPass(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let severities: [Severity] = [.low, .medium, .high, .critical]
        func finding(_ n: Int) -> IncidentFinding {
            let detector = "DET-\(random.below(6))"
            let made = detection("det-\(seed)-\(n)", source: "10.0.0.1", at: t0 + Int64(n), severity: severities[random.below(4)],
                                 detector: detector, confidence: Double(random.below(1001)) / 1000)
            return IncidentFinding(detection: made, repeatCount: 1, score: nil)
        }
        var incident = Incident(id: "inc_x", first: finding(0), openedAt: t0)
        _ = incident.open(with: incident.findings[0], at: t0)
        for n in 1..<150 {
            _ = incident.join(finding(n), at: t0 + Int64(n))
            var full = incident
            full.refreshSummary()
            #expect(incident.severity == full.severity)
            #expect(incident.type == full.type)
            #expect(incident.detectorID == full.detectorID)
            #expect(incident.title == full.title)
            #expect(abs(incident.confidence - full.confidence) < 1e-12, "after \(n) joins")
        }
    }
}
