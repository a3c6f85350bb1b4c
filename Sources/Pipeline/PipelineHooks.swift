import Detection
import MWRASPCore
import Storage

/// The detectors, as the pipeline sees them: one event in, its findings out. Stateful
/// detectors (windows, baselines) are called in commit order from one task.
public protocol FindingEngine: Sendable {
    func findings(for input: DetectionInput) -> [Finding]
    /// Findings for a batch of events, in event order (the pipeline's path). Engines whose
    /// detectors keep no state between events may judge the events in parallel, parsing each
    /// where it is judged; the default parses and judges them one by one.
    func findings(forEvents events: [Event]) -> [[Finding]]
}

extension FindingEngine {
    public func findings(forEvents events: [Event]) -> [[Finding]] {
        events.map { findings(for: DetectionInput(event: $0)) }
    }
}

/// Correlation of detections into incidents, as the pipeline sees it.
public protocol IncidentCorrelator: Sendable {
    /// Joins `detection` to an incident (opening one if none fits), sets its `incidentID`, and
    /// adds the incident's new snapshot and timeline entries to `batch`.
    func correlate(_ detection: inout Detection, now: Int64, into batch: inout DetectionBatch)
    /// A SIEM alert repeated `count` more times inside the dedup window (the latest repeat is
    /// `lastEventID`): counted on the finding it became.
    func countRepeats(of finding: AlertFinding, lastEventID: EventID, count: Int, now: Int64, into batch: inout DetectionBatch)
    /// Adds what changed since the last call to `batch` (snapshots may be held back and
    /// written by a later call or tick).
    func finish(now: Int64, into batch: inout DetectionBatch)
    /// Time-driven changes (SLA breaches, response timers) up to `now`. `flushAll` also writes
    /// every snapshot held back (drain, stop); without it they stay spread over the batches.
    func tick(now: Int64, flushAll: Bool, into batch: inout DetectionBatch)
    /// The first event of each SIEM-alert finding held in memory -> that finding: after a
    /// restart, what tells the pipeline where an alert's repeats belong.
    func siemAlertOrigins() -> [EventID: AlertFinding]
}

extension IncidentCorrelator {
    public func siemAlertOrigins() -> [EventID: AlertFinding] { [:] }
}

/// The finding (detection) a SIEM alert became and the incident holding it.
public struct AlertFinding: Sendable, Equatable {
    public var incidentID: String
    public var detectionID: String

    public init(incidentID: String, detectionID: String) {
        self.incidentID = incidentID
        self.detectionID = detectionID
    }
}
