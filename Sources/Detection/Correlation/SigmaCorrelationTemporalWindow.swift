import MWRASPCore

/// temporal (any order): the last time and event of each base rule. The condition (default:
/// every rule) counts the rules whose last match is still inside the window.
final class SigmaCorrelationTemporalWindow: SigmaCorrelationWindow {
    private let span: Int64
    private let condition: SigmaCorrelationCondition?
    private var lastSeen: [Int64?]
    private var lastEvent: [EventID?]
    private(set) var watermark = Int64.min

    init(span: Int64, ruleCount: Int, condition: SigmaCorrelationCondition?) {
        self.span = span
        self.condition = condition
        self.lastSeen = Array(repeating: nil, count: ruleCount)
        self.lastEvent = Array(repeating: nil, count: ruleCount)
    }

    func record(_ observation: SigmaCorrelationObservation) -> SigmaCorrelationFiring? {
        watermark = max(watermark, observation.time)
        let cutoff = watermark - span
        guard observation.time > cutoff else { return nil }
        let index = observation.ruleIndex
        if (lastSeen[index] ?? .min) <= observation.time {
            lastSeen[index] = observation.time
            lastEvent[index] = observation.eventID
        }
        let live = lastSeen.indices.filter { (lastSeen[$0] ?? .min) > cutoff }
        let holds = condition?.holds(live.count) ?? (live.count == lastSeen.count)
        guard holds else { return nil }
        let ordered = live.sorted { lastSeen[$0]! < lastSeen[$1]! }
        let firing = SigmaCorrelationFiring(count: live.count, eventIDs: ordered.compactMap { lastEvent[$0] }, rules: live)
        for index in lastSeen.indices {
            lastSeen[index] = nil
            lastEvent[index] = nil
        }
        return firing
    }
}
