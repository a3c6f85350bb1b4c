import MWRASPCore

/// value_count: each distinct value's last-seen time, plus an expiry queue in time order so
/// values leave the count as they age out without scanning the map.
final class SigmaCorrelationValueCountWindow: SigmaCorrelationWindow {
    private let span: Int64
    private let condition: SigmaCorrelationCondition
    private let limits: SigmaCorrelationLimits
    private var lastSeen: [String: Int64] = [:]
    /// (time, value) per sighting that moved a value's last-seen time; stale entries (the
    /// value was seen again later) are skipped when they come out.
    private var expiry = SigmaCorrelationTimeQueue<String>()
    private var evidence = SigmaCorrelationTimeQueue<EventID>()
    private(set) var watermark = Int64.min

    init(span: Int64, condition: SigmaCorrelationCondition, limits: SigmaCorrelationLimits) {
        self.span = span
        self.condition = condition
        self.limits = limits
    }

    func record(_ observation: SigmaCorrelationObservation) -> SigmaCorrelationFiring? {
        guard let value = observation.value else { return nil }
        watermark = max(watermark, observation.time)
        let cutoff = watermark - span
        guard observation.time > cutoff else { return nil }
        while let oldest = expiry.oldest, oldest.time <= cutoff { expireOldest() }
        evidence.evict(through: cutoff)

        if let previous = lastSeen[value], previous >= observation.time {
            // A late sighting of a value already seen later: nothing moves.
        } else {
            lastSeen[value] = observation.time
            expiry.insert(observation.time, value)
        }
        // A group with more distinct values than the cap forgets its oldest ones.
        while lastSeen.count > limits.maxValuesPerGroup { expireOldest() }
        evidence.insert(observation.time, observation.eventID)
        if evidence.count > limits.maxEvidence { evidence.popOldest() }

        guard condition.holds(lastSeen.count) else { return nil }
        let firing = SigmaCorrelationFiring(count: lastSeen.count, eventIDs: evidence.newest(limits.maxEvidence))
        lastSeen.removeAll(keepingCapacity: true)
        expiry.removeAll()
        evidence.removeAll()
        return firing
    }

    private func expireOldest() {
        guard let (time, value) = expiry.popOldest() else { return }
        if lastSeen[value] == time { lastSeen[value] = nil }
    }
}
