import MWRASPCore

/// event_count: a time-ordered deque of the group's events; the count is its length.
final class SigmaCorrelationEventCountWindow: SigmaCorrelationWindow {
    private let span: Int64
    private let condition: SigmaCorrelationCondition
    private let limits: SigmaCorrelationLimits
    private var events = SigmaCorrelationTimeQueue<EventID>()
    private(set) var watermark = Int64.min

    init(span: Int64, condition: SigmaCorrelationCondition, limits: SigmaCorrelationLimits) {
        self.span = span
        self.condition = condition
        self.limits = limits
    }

    func record(_ observation: SigmaCorrelationObservation) -> SigmaCorrelationFiring? {
        watermark = max(watermark, observation.time)
        let cutoff = watermark - span
        guard observation.time > cutoff else { return nil }  // later than one window: dropped
        events.evict(through: cutoff)
        events.insert(observation.time, observation.eventID)
        // Only lt/lte/neq conditions let a window grow past its threshold without firing.
        if events.count > limits.maxEventsPerGroup { events.popOldest() }
        guard condition.holds(events.count) else { return nil }
        let firing = SigmaCorrelationFiring(count: events.count, eventIDs: events.newest(limits.maxEvidence))
        events.removeAll()
        return firing
    }
}
