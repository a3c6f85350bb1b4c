import MWRASPCore

/// Keys the writer has logged that the indexer has not yet put into SQLite: exact answers
/// for the window in which neither the Bloom filter's "maybe" nor a SQLite lookup would be
/// right on its own. An entry leaves once the indexer's applied position reaches its frame.
/// Looked up by `KeyHash`, verified against the key's text, so a hash collision can never make
/// two keys one. Confined to the writer queue.
struct PendingKeys {
    struct Key: Hashable {
        var hash: KeyHash
        var scope: String?
        var text: String
    }

    /// What is known of a pending key: the answer (idempotency keys), the event stored under
    /// it (ids and sender ids).
    struct Value {
        var answer: StoredAnswer?
        var eventID: EventID?
    }

    /// The first key with each hash, with its value.
    private var entries: [KeyHash: (key: Key, value: Value)] = [:]
    /// Keys whose hash collided with a different live key (practically never).
    private var overflow: [Key: Value] = [:]
    /// (frame marker, key), oldest first; `head` is the first live one.
    private var order: [(Int64, Key)] = []
    private var head = 0

    /// nil: not pending. `.some(nil)`: pending without an answer (ids, external ids).
    func lookup(_ key: Key) -> StoredAnswer?? {
        value(key).map(\.answer)
    }

    /// nil when not pending.
    func value(_ key: Key) -> Value? {
        guard let entry = entries[key.hash] else { return nil }
        if entry.key == key { return entry.value }
        return overflow[key]
    }

    /// `marker` is a position inside the key's frame (its start + 1): the key stays until the
    /// indexer has applied past it, i.e. the whole frame.
    mutating func add(_ key: Key, answer: StoredAnswer? = nil, eventID: EventID? = nil, marker: Int64) {
        let value = Value(answer: answer, eventID: eventID)
        if let existing = entries[key.hash], existing.key != key {
            overflow[key] = value
        } else {
            entries[key.hash] = (key, value)
        }
        order.append((marker, key))
    }

    /// Forgets keys whose frames the indexer has committed (SQLite answers for them now).
    mutating func prune(appliedThrough position: Int64) {
        while head < order.count, order[head].0 <= position {
            let key = order[head].1
            if entries[key.hash]?.key == key {
                entries[key.hash] = nil
            } else {
                overflow[key] = nil
            }
            head += 1
        }
        if head == order.count {
            // After a burst the tables would keep their peak capacity: start small again.
            order.removeAll(keepingCapacity: order.count < 1 << 12)
            if entries.capacity > 1 << 12 { entries = [:] }
            head = 0
        } else if head > 1 << 16, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll() {
        entries.removeAll()
        overflow.removeAll()
        order.removeAll()
        head = 0
    }
}
