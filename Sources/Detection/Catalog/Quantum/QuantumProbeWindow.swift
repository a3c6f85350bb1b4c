/// One principal's recent key probes for QTD-002: a bounded FIFO of (time, key hash, hit) with
/// a running count per distinct key, so distinct keys and hit ratio are O(1) to read and each
/// probe is O(1) amortized to add or expire. Keys are kept as 64-bit hashes, never as text:
/// the window must not become a copy of what the principal was looking for.
struct QuantumProbeWindow {
    struct Probe {
        var time: Int64
        var key: Int
        var hit: Bool
    }

    private var probes: [Probe] = []
    private var head = 0
    private var counts: [Int: Int] = [:]
    private(set) var hits = 0
    /// The latest time seen for this principal (events may arrive slightly out of order).
    private(set) var lastSeen: Int64 = .min
    /// After a finding, none until this time: one finding per window, not one per probe.
    var quietUntil: Int64 = .min
    /// The search-space size from the latest probe, and whether the sensor sent it.
    var keyspace: Double = 0
    var keyspaceSent = false

    var count: Int { probes.count - head }
    var distinctKeys: Int { counts.count }
    var hitRatio: Double { count == 0 ? 0 : Double(hits) / Double(count) }
    var oldestTime: Int64? { head < probes.count ? probes[head].time : nil }

    mutating func add(time: Int64, key: Int, hit: Bool, windowMs: Int64, capacity: Int) {
        lastSeen = max(lastSeen, time)
        probes.append(Probe(time: time, key: key, hit: hit))
        counts[key, default: 0] += 1
        if hit { hits += 1 }
        expire(before: lastSeen - windowMs)
        while count > capacity { dropOldest() }
    }

    mutating func expire(before cutoff: Int64) {
        while head < probes.count, probes[head].time < cutoff { dropOldest() }
        // Compact once the dead prefix dominates, keeping appends amortized O(1).
        if head > 64 && head * 2 > probes.count {
            probes.removeFirst(head)
            head = 0
        }
    }

    private mutating func dropOldest() {
        let p = probes[head]
        head += 1
        if p.hit { hits -= 1 }
        if let c = counts[p.key] {
            if c <= 1 { counts[p.key] = nil } else { counts[p.key] = c - 1 }
        }
    }
}
