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
/// Bounded by bytes; events that fell out (a pipeline far behind a burst) are read from SQLite
/// as before, so the cache only ever saves work.
final class RecentEvents: Sendable {
    private struct State {
        var events: [SequencedEvent] = []
        /// Index of the oldest live event in `events` (consumed ones are dropped lazily).
        var head = 0
        var bytes = 0
        /// Sequence of `events[head]` (or of the next event to be logged, when none is live).
        var first: Int64 = 0
        /// Set by the first append: before it the cache knows nothing about any sequence.
        var started = false
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

    /// Adds a logged (durable) frame's events, in sequence order. Called on the writer queue.
    func append(_ logged: [SequencedEvent]) {
        guard let firstNew = logged.first else { return }
        let added = logged.reduce(0) { $0 + Self.cost($1) }
        state.withLock { state in
            let live = state.events.count - state.head
            // Sequences continue the cache's, or the cache starts over from this frame (the
            // first frame after an open, or after a failed frame reset the writer).
            if !state.started || state.first + Int64(live) != firstNew.sequence {
                state.events.removeAll(keepingCapacity: true)
                state.head = 0
                state.bytes = 0
                state.first = firstNew.sequence
                state.started = true
            }
            state.events.append(contentsOf: logged)
            state.bytes += added
            while state.bytes > capacityBytes, state.head < state.events.count {
                state.bytes -= Self.cost(state.events[state.head])
                state.head += 1
                state.first += 1
            }
            Self.compact(&state)
        }
    }

    /// Up to `limit` events after `seq`, or nil when the cache cannot say (`seq + 1` fell out
    /// or was never here): the caller reads SQLite. Everything up to `seq` is dropped.
    func events(after seq: Int64, limit: Int) -> [SequencedEvent]? {
        state.withLock { state -> [SequencedEvent]? in
            let live = state.events.count - state.head
            guard state.started, seq + 1 >= state.first else { return nil }
            let consumed = Int(min(seq + 1 - state.first, Int64(live)))
            for index in state.head..<(state.head + consumed) { state.bytes -= Self.cost(state.events[index]) }
            state.head += consumed
            state.first += Int64(consumed)
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
