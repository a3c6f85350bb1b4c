import Synchronization

/// The newest logged events, in memory, for the detection pipeline that tails the store.
///
/// Without it the pipeline read every event back right after it was written: a SQLite query
/// (which first had to wait for the indexer) plus a read of the bytes from the log, which
/// misses the page cache because frames are written with O_DIRECT. With it the pipeline gets
/// the events the writer just made durable, and the indexer is free to gather frames into
/// fewer, larger transactions. The events are the very values the writer logged (the arrays
/// of their bytes are shared, not copied) and the same the SQLite read would return: a repeat
/// of an alert without its document and original.
///
/// One consumer: a read after `seq` means everything up to `seq` is done with and may go.
///
/// Bounded by bytes, and when full it keeps the OLDEST unread events and stops taking new ones
/// until the pipeline has read everything it holds; then it starts again at the next frame.
/// The pipeline reads what is here from memory and only what arrived while it was full from
/// SQLite. (It used to drop the oldest instead: a pipeline that fell behind by more than the
/// buffer then chased events that left memory just before it reached them, read everything
/// from SQLite, which costs more per event, and under a steady load near its capacity never
/// caught up: at 50,000 events/s offered, a slow second turned a p99 of ~100 ms into ~2 s.)
final class RecentEvents: Sendable {
    private struct State {
        var events: [SequencedEvent] = []
        /// Index of the oldest live event in `events` (consumed ones are dropped lazily).
        var head = 0
        var bytes = 0
        /// Sequence of `events[head]` (or of the next event to be cached, when none is live).
        var first: Int64 = 0
        /// Set by the first append: before it the cache knows nothing about any sequence.
        var started = false
        /// Frames were turned away (the cache filled, or sequences jumped): events after the
        /// last cached one are in SQLite only.
        var closed = false
    }

    private let state = Mutex(State())
    let capacityBytes: Int

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// What an event costs here: its bytes plus the typed fields (a dozen strings, most on the
    /// heap) and bookkeeping.
    static func cost(_ event: SequencedEvent) -> Int {
        event.event.document.count + event.event.original.count + 768
    }

    /// Adds a logged (durable) frame's events, in sequence order, as far as there is room.
    /// Called on the writer queue.
    func append(_ logged: [SequencedEvent]) {
        guard let firstNew = logged.first else { return }
        state.withLock { state in
            let live = state.events.count - state.head
            if live == 0 {
                // Empty: (re)start at this frame. The consumer reads whatever lies before it
                // from SQLite.
                state.events.removeAll(keepingCapacity: state.events.capacity <= 4096)
                state.head = 0
                state.bytes = 0
                state.first = firstNew.sequence
                state.started = true
                state.closed = false
            } else if state.closed || state.first + Int64(live) != firstNew.sequence {
                // Full earlier, or the sequences jumped (a failed frame reset the writer): keep
                // what is here, contiguous, and take frames again once it has been read.
                state.closed = true
                return
            }
            for event in logged {
                let cost = Self.cost(event)
                if state.bytes + cost > capacityBytes {
                    state.closed = true
                    break
                }
                state.events.append(event)
                state.bytes += cost
            }
        }
    }

    /// Up to `limit` events after `seq`, or nil when the cache cannot say (`seq + 1` is not
    /// here): the caller reads SQLite. Everything up to `seq` is dropped.
    func events(after seq: Int64, limit: Int) -> [SequencedEvent]? {
        state.withLock { state -> [SequencedEvent]? in
            guard state.started, seq + 1 >= state.first else { return nil }
            let live = state.events.count - state.head
            let consumed = seq + 1 - state.first
            if consumed > Int64(live) {
                // The consumer read past the cache (from SQLite): nothing here is of use.
                state.events.removeAll(keepingCapacity: state.events.capacity <= 4096)
                state.head = 0
                state.bytes = 0
                state.first = seq + 1
                state.closed = true
                return nil
            }
            for index in state.head..<(state.head + Int(consumed)) { state.bytes -= Self.cost(state.events[index]) }
            state.head += Int(consumed)
            state.first += consumed
            // Read to the end of a cache that turned frames away: the next events are in SQLite.
            if state.head == state.events.count, state.closed { return nil }
            let end = min(state.events.count, state.head + max(1, limit))
            let out = Array(state.events[state.head..<end])
            Self.compact(&state)
            return out
        }
    }

    /// Moves the live events to the front once the consumed prefix is most of the array, so the
    /// array does not grow without bound and each event moves O(1) times on average.
    private static func compact(_ state: inout State) {
        if state.head == state.events.count {
            state.events.removeAll(keepingCapacity: state.events.capacity <= 4096)
            state.head = 0
        } else if state.head > 1024, state.head * 2 > state.events.count {
            state.events.removeFirst(state.head)
            state.head = 0
        }
    }
}
