/// The state of one baseline per entity, bounded: at `capacity` entities, the least recently
/// seen tenth is forgotten at once (batch eviction, amortized O(log n) per new entity and no
/// per-event bookkeeping). "Recently" is event time, never the wall clock.
struct BaselineEntityTable {
    struct State {
        var baseline: EWMABaseline
        var lastSeen: Int64
        /// Count metrics: index of the open interval (time / interval), its count, and whether
        /// it already fired (a bucket fires at most once).
        var bucket: Int64?
        var bucketCount = 0
        var firedInBucket = false
    }

    private(set) var states: [String: State] = [:]
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { states.count }

    /// Runs `body` on the entity's state, created with `fresh` when absent.
    mutating func withState<R>(_ entity: String, time: Int64, fresh: () -> State, _ body: (inout State) -> R) -> R {
        // A known entity (nearly every event): one hash of the entity, the state mutated in place.
        if let known = states.index(forKey: entity) { return body(&states.values[known]) }
        if states.count >= capacity { evictOldest() }
        states[entity] = fresh()
        return body(&states[entity, default: fresh()])
    }

    private mutating func evictOldest() {
        let drop = max(1, capacity / 10)
        for (key, _) in states.sorted(by: { $0.value.lastSeen < $1.value.lastSeen }).prefix(drop) { states[key] = nil }
    }
}
