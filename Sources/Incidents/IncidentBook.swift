import MWRASPCore
import Synchronization

/// The incident engine: correlates detections into incidents, drives their INC-001 lifecycle
/// and SLA clocks, answers queries. Thread-safe (one mutex around the state; every operation is
/// short and in memory). Pure: no I/O and no clock; callers pass `now` in milliseconds since
/// the Unix epoch and persist what each `IncidentUpdate` carries.
public final class IncidentBook: Sendable {
    private let state: Mutex<IncidentLedger>
    public let configuration: IncidentBookConfiguration

    public init(configuration: IncidentBookConfiguration = IncidentBookConfiguration()) {
        self.configuration = configuration
        state = Mutex(IncidentLedger(configuration: configuration))
    }

    /// Rebuilds the in-memory state after a restart from the stored snapshots (the latest
    /// `IncidentUpdate.incident` of each incident) and their timeline rows, keyed by incident id.
    /// The entity index is rebuilt from active incidents, with their last-finding times, so the
    /// same detections correlate the same way as before the restart.
    public init(restoring incidents: [Incident], timelines: [String: [TimelineEntry]],
                configuration: IncidentBookConfiguration = IncidentBookConfiguration()) {
        self.configuration = configuration
        state = Mutex(IncidentLedger(restoring: incidents, timelines: timelines, configuration: configuration))
    }

    /// Opens or joins an incident with one detection (see `CorrelationWeights` for the rule).
    /// `repeatCount` is the deduplicator's count for it (1 = seen once); calling again with
    /// the same detection id and a higher count updates that count instead of adding a finding.
    public func correlate(_ detection: Detection, repeatCount: Int = 1, now: Int64) -> IncidentUpdate {
        state.withLock { $0.correlate(detection, repeatCount: repeatCount, now: now) }
    }

    /// `PATCH /v1/incidents/{id}`. All or nothing.
    public func apply(_ patch: IncidentPatch, to id: String, now: Int64) throws(IncidentError) -> IncidentUpdate {
        try state.withLock { (ledger) throws(IncidentError) -> IncidentUpdate in try ledger.apply(patch, to: id, now: now) }
    }

    /// Marks a response milestone reached at `time` (the first time only; later calls add nothing).
    public func recordMilestone(_ milestone: Milestone, for id: String, at time: Int64, note: String? = nil) throws(IncidentError) -> IncidentUpdate {
        try state.withLock { (ledger) throws(IncidentError) -> IncidentUpdate in
            try ledger.recordMilestone(milestone, for: id, at: time, note: note)
        }
    }

    /// Puts an action on the timeline (a playbook step, a manual block). An automated one also
    /// reaches the `first_automated_action` milestone.
    public func recordAction(_ summary: String, for id: String, automated: Bool, refs: [String] = [], at time: Int64) throws(IncidentError) -> IncidentUpdate {
        try state.withLock { (ledger) throws(IncidentError) -> IncidentUpdate in
            try ledger.recordAction(summary, for: id, automated: automated, refs: refs, at: time)
        }
    }

    /// `count` more repeats of the finding of `detectionID`, in place; nil when no finding held
    /// in memory has that detection id (see `IncidentLedger.countRepeats`).
    public func countRepeats(ofDetection detectionID: String, count: Int, now: Int64) -> RepeatsCounted? {
        state.withLock { $0.countRepeats(ofDetection: detectionID, count: count, now: now) }
    }

    /// Repeats of a folded SIEM alert no longer remembered; see `IncidentLedger.countFoldedAlertRepeats`.
    public func countFoldedAlertRepeats(of detectionID: String, in incidentID: String, count: Int, lastEventID: EventID,
                                        now: Int64) -> RepeatsCounted? {
        state.withLock { $0.countFoldedAlertRepeats(of: detectionID, in: incidentID, count: count, lastEventID: lastEventID, now: now) }
    }

    /// Takes back an incident that left memory (closed or dormant) from its stored record and
    /// timeline, so it can be changed again.
    public func adopt(_ incident: Incident, timeline: [TimelineEntry]) {
        state.withLock { $0.adopt(incident, timeline: timeline) }
    }

    /// The first event of every SIEM-alert finding in memory -> that finding's incident and
    /// detection id.
    public func siemAlertOrigins() -> [EventID: (incidentID: String, detectionID: String)] {
        state.withLock { ledger in
            var origins: [EventID: (incidentID: String, detectionID: String)] = [:]
            for incident in ledger.incidents.values {
                for finding in incident.findings where finding.type == .siemAlert {
                    if let first = finding.eventIDs.first { origins[first] = (incident.id, finding.detectionID) }
                }
            }
            return origins
        }
    }

    /// Incidents held in memory.
    public var count: Int { state.withLock { $0.incidents.count } }

    /// Records the phase windows and response timers that have run out by `now` (each once),
    /// and evicts idle incidents from the entity index. Call it every second or so.
    public func tick(now: Int64) -> [IncidentUpdate] {
        state.withLock { $0.tick(now: now) }
    }

    public func incident(id: String) -> Incident? {
        state.withLock { $0.incidents[id] }
    }

    /// The timeline in display order (time, then sequence); nil for an unknown id.
    public func timeline(id: String) -> [TimelineEntry]? {
        state.withLock { ledger in ledger.timelines[id].map { $0.sorted(by: TimelineEntry.chronological) } }
    }

    public func list(_ query: IncidentQuery = IncidentQuery()) -> IncidentPage {
        state.withLock { $0.list(query) }
    }

    /// KPIs over the incidents opened in `from..<to` (all when nil).
    public func kpis(openedFrom from: Int64? = nil, to: Int64? = nil) -> IncidentKPIs {
        state.withLock { ledger in
            IncidentKPIs(ledger.incidents.values.filter { incident in
                (from.map { incident.openedAt >= $0 } ?? true) && (to.map { incident.openedAt < $0 } ?? true)
            })
        }
    }

    public func postmortem(id: String, now: Int64) throws(IncidentError) -> Postmortem {
        let found = state.withLock { ledger in ledger.incidents[id].map { ($0, ledger.timelines[id] ?? []) } }
        guard let (incident, timeline) = found else { throw .notFound(id: id) }
        return Postmortem(incident: incident, timeline: timeline, generatedAt: now)
    }

    /// How many incidents and entity values the correlation index holds (for metrics and tests).
    public var indexSize: (incidents: Int, keys: Int) {
        state.withLock { ($0.index.incidentCount, $0.index.keyCount) }
    }

    /// Incidents held in memory, and index postings (for tuning and benchmarks).
    public var sizes: (incidents: Int, postings: Int) {
        state.withLock { ($0.incidents.count, $0.index.postingCount) }
    }
}
