/// A deque of (time, payload) kept in time order: appends at the back, evictions at the
/// front, so each window update costs O(1) amortized instead of rescanning history.
/// Late events are inserted in place by walking back from the end (they are rare and land
/// near the end, since events arrive roughly in order).
struct SigmaCorrelationTimeQueue<Payload> {
    private var times: [Int64] = []
    private var payloads: [Payload] = []
    /// Index of the oldest live entry; the dead prefix is compacted once it is half the storage.
    private var head = 0

    var count: Int { times.count - head }
    var isEmpty: Bool { count == 0 }
    var oldest: (time: Int64, payload: Payload)? { isEmpty ? nil : (times[head], payloads[head]) }

    mutating func insert(_ time: Int64, _ payload: Payload) {
        var index = times.count
        while index > head && times[index - 1] > time { index -= 1 }
        if index == times.count {
            times.append(time)
            payloads.append(payload)
        } else {
            times.insert(time, at: index)
            payloads.insert(payload, at: index)
        }
    }

    /// Drops and returns the oldest entry.
    @discardableResult
    mutating func popOldest() -> (time: Int64, payload: Payload)? {
        guard let first = oldest else { return nil }
        head += 1
        compactIfNeeded()
        return first
    }

    /// Drops every entry at or before `cutoff`.
    mutating func evict(through cutoff: Int64) {
        while head < times.count && times[head] <= cutoff { head += 1 }
        compactIfNeeded()
    }

    /// The newest `limit` payloads, oldest first.
    func newest(_ limit: Int) -> [Payload] {
        Array(payloads[max(head, payloads.count - limit)...])
    }

    mutating func removeAll() {
        times.removeAll(keepingCapacity: true)
        payloads.removeAll(keepingCapacity: true)
        head = 0
    }

    private mutating func compactIfNeeded() {
        if head == times.count {
            removeAll()
        } else if head > 32 && head * 2 > times.count {
            times.removeFirst(head)
            payloads.removeFirst(head)
            head = 0
        }
    }
}
