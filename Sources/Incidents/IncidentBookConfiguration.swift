/// Correlation settings (seed 6.1 defaults).
public struct IncidentBookConfiguration: Sendable, Equatable {
    public var weights: CorrelationWeights
    /// ±window of event time within which two findings can correlate (seed: 5 min), inclusive.
    public var window: Int64
    /// How late (in arrival time) a finding may come and still reach an incident: an incident
    /// stays in the entity index until `window + allowedLateness` after its last finding
    /// arrived. Five minutes by default because SIEM scheduled searches (Splunk's, typically
    /// every 5 min) deliver alerts that late.
    public var allowedLateness: Int64
    /// Seeds the id generator, for reproducible tests; nil seeds from the system.
    public var idSeed: UInt64?
    /// Findings an incident records one by one. Past this, a finding from a detector the
    /// incident already has is folded into that detector's last finding as a repeat (a
    /// counter), so an alert storm on one incident costs constant memory and time per alert
    /// instead of growing the record, its index postings and its timeline without bound.
    public var maxFindingsPerIncident: Int
    /// A closed incident leaves memory this long after its last change (ms); its record stays
    /// in the store, and a PATCH brings it back (`IncidentBook.adopt`).
    public var closedRetention: Int64 = 3_600_000
    /// Any incident untouched this long leaves memory (ms): the horizon a restart restores.
    public var dormancy: Int64 = 7 * 86_400_000

    public init(weights: CorrelationWeights = .default, window: Int64 = 300_000, allowedLateness: Int64 = 300_000, idSeed: UInt64? = nil,
                maxFindingsPerIncident: Int = 200) {
        self.maxFindingsPerIncident = maxFindingsPerIncident
        self.weights = weights
        self.window = window
        self.allowedLateness = allowedLateness
        self.idSeed = idSeed
    }

    /// How long an incident stays in the entity index after its last finding arrived.
    public var retention: Int64 { window + allowedLateness }
}
