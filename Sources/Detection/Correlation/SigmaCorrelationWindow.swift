import MWRASPCore

/// One event's contribution to one (correlation rule, group) window.
struct SigmaCorrelationObservation {
    var time: Int64
    var eventID: EventID
    /// Index into the correlation rule's `rules` (which base rule this event matched).
    var ruleIndex: Int
    /// The value_count field's value; nil for the other types.
    var value: String?
}

/// What a window reports when its condition holds.
struct SigmaCorrelationFiring {
    /// Events (event_count), distinct values (value_count) or rules (temporal) counted.
    var count: Int
    /// The events behind it, oldest first, at most `SigmaCorrelationLimits.maxEvidence`.
    var eventIDs: [EventID]
    /// For temporal types: the base rules seen, in rule order.
    var rules: [Int] = []
}

/// The sliding window of one (rule, group). Each window keeps its own watermark (the newest
/// event time it saw): an entry is live while `entry.time > watermark - timespan`, so an
/// event exactly one timespan after another no longer sees it (the window is half-open,
/// `(t - timespan, t]`). Events older than that when they arrive are dropped as too late.
///
/// Re-arming: when the condition holds the window reports once and empties itself, so one
/// burst yields one finding and a sustained burst one finding per threshold's worth of
/// events. Classes, not structs: the engine mutates them in place inside its dictionary
/// without copy-on-write copies of their arrays.
protocol SigmaCorrelationWindow: AnyObject {
    /// The newest event time seen, for the engine's sweep of idle groups.
    var watermark: Int64 { get }
    func record(_ observation: SigmaCorrelationObservation) -> SigmaCorrelationFiring?
}
