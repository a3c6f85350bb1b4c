import MWRASPCore

/// temporal_ordered: for each prefix r0...ri of the rule list, the best chain seen so far
/// that matched those rules in order (event times non-decreasing). "Best" is the chain with
/// the latest start, since it stays inside the window longest. A match of rule i extends the
/// best chain of prefix i-1 when that chain ended no later than this event and started less
/// than one timespan before it. O(1) per event, no history kept.
final class SigmaCorrelationOrderedWindow: SigmaCorrelationWindow {
    private struct Chain {
        var start: Int64
        var end: Int64
        var events: [EventID]
    }

    private let span: Int64
    private var chains: [Chain?]
    private(set) var watermark = Int64.min

    init(span: Int64, ruleCount: Int) {
        self.span = span
        self.chains = Array(repeating: nil, count: ruleCount)
    }

    /// The engine feeds one event's rule indices in descending order, so a single event that
    /// matched rules i-1 and i cannot chain with itself.
    func record(_ observation: SigmaCorrelationObservation) -> SigmaCorrelationFiring? {
        watermark = max(watermark, observation.time)
        let index = observation.ruleIndex
        let time = observation.time
        let candidate: Chain
        if index == 0 {
            candidate = Chain(start: time, end: time, events: [observation.eventID])
        } else {
            guard let previous = chains[index - 1], previous.end <= time, time - previous.start < span else { return nil }
            candidate = Chain(start: previous.start, end: time, events: previous.events + [observation.eventID])
        }
        // Keep the current chain if it starts later, or as late but ended earlier (easier to extend).
        if let current = chains[index],
           current.start > candidate.start || (current.start == candidate.start && current.end <= candidate.end) { return nil }
        chains[index] = candidate
        guard index == chains.count - 1 else { return nil }
        chains = Array(repeating: nil, count: chains.count)
        return SigmaCorrelationFiring(count: candidate.events.count, eventIDs: candidate.events, rules: Array(0...index))
    }
}
