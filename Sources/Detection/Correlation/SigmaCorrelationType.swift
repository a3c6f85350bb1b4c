/// The correlation types of the Sigma specification v2 ("Sigma correlation rules").
public enum SigmaCorrelationType: String, Sendable, Equatable, CaseIterable {
    /// At least/most N events matching any of the rules, per group, within the timespan.
    case eventCount = "event_count"
    /// N distinct values of `condition.field`, per group, within the timespan.
    case valueCount = "value_count"
    /// All (or `condition` many) of the rules matched, per group, within the timespan, any order.
    case temporal
    /// All of the rules matched in the listed order, per group, within the timespan.
    case temporalOrdered = "temporal_ordered"
}
