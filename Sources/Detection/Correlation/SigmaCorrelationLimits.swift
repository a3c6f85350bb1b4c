/// Memory bounds of a `SigmaCorrelationEngine`. State is O(groups x per-group cap): with the
/// defaults and small payloads that is tens of MB in the worst case, and in practice far
/// less because windows empty when they fire or age out.
public struct SigmaCorrelationLimits: Sendable, Equatable {
    /// (rule, group key) windows kept at once, over all rules. Past it, windows idle for more
    /// than their timespan are dropped, then the least recently active ones, down to 90% of
    /// the cap (batch eviction: amortized O(log n) per new group, no linked list per event).
    public var maxGroups: Int
    /// Events an event_count window remembers (only lt/lte/neq windows can reach it; the
    /// oldest are dropped, so such counts saturate at this number).
    public var maxEventsPerGroup: Int
    /// Distinct values a value_count window remembers (the oldest are forgotten past it).
    public var maxValuesPerGroup: Int
    /// Event ids carried by one finding (the newest ones).
    public var maxEvidence: Int

    public init(maxGroups: Int = 100_000, maxEventsPerGroup: Int = 10_000, maxValuesPerGroup: Int = 10_000, maxEvidence: Int = 100) {
        self.maxGroups = max(1, maxGroups)
        self.maxEventsPerGroup = max(1, maxEventsPerGroup)
        self.maxValuesPerGroup = max(1, maxValuesPerGroup)
        self.maxEvidence = max(1, maxEvidence)
    }
}
