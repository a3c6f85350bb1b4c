import Dispatch
import Foundation
import Synchronization

/// The group-commit writer. `append` callers enqueue here; one serial dispatch queue (never
/// Swift's cooperative pool: the log write blocks until it is on disk) takes everything queued, up to
/// the batch caps, writes it as one frame of the event log, hands it to the indexer, then
/// resumes every caller of that batch. While a batch is being synced the next one accumulates,
/// so under load each synchronous write covers many calls.
///
/// The queue is bounded in events and bytes, counting everything not yet indexed into SQLite
/// (queued, being written, and logged but waiting for the indexer): past the cap a request is
/// refused at once with `.overloaded`, so memory and the indexer's lag stay bounded.
final class WriteQueue: Sendable {
    private struct State {
        var pending: [PendingAppend] = []
        var queuedEvents = 0
        var queuedBytes = 0
        /// A drain work item is scheduled or running on `queue`.
        var draining = false
        var closed = false
        /// Tests hold the writer to fill the queue deterministically.
        var paused = false
        var committedBatches = 0
        var committedEvents = 0
        /// Recent commit rate (events/s), for `Retry-After`.
        var eventsPerSecond: Double = 0
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "mwrasp.storage.writer", qos: .userInitiated)
    private let writer: LogAppender
    private let indexer: Indexer
    private let maxQueuedEvents: Int
    private let maxQueuedBytes: Int
    private let maxBatchEvents: Int
    private let maxBatchBytes: Int

    init(writer: LogAppender, indexer: Indexer, configuration: StoreConfiguration) {
        self.writer = writer
        self.indexer = indexer
        self.maxQueuedEvents = max(1, configuration.maxQueuedEvents)
        self.maxQueuedBytes = max(1, configuration.maxQueuedBytes)
        self.maxBatchEvents = max(1, configuration.maxBatchEvents)
        self.maxBatchBytes = max(1, configuration.maxBatchBytes)
        indexer.onRelease { [weak self] events, bytes in self?.release(events: events, bytes: bytes) }
    }

    /// The indexer has put these into SQLite: their share of the caps is free again. When
    /// that empties the queue, the writer tidies up after the burst (on its own queue).
    private func release(events: Int, bytes: Int) {
        let emptied = state.withLock { state -> Bool in
            state.queuedEvents -= events
            state.queuedBytes -= bytes
            return state.queuedEvents == 0 && state.pending.isEmpty
        }
        if emptied { queue.async { self.writer.idle() } }
    }

    /// Enqueues `request`, or returns why not (then its continuation is NOT resumed here).
    func submit(_ request: PendingAppend) -> StoreError? {
        state.withLock { state -> StoreError? in
            if state.closed { return .closed }
            // An idle queue takes any one request, however large, so an oversized bulk body is
            // never refused forever; otherwise the caps hold.
            if state.queuedEvents > 0 || state.queuedBytes > 0,
               state.queuedEvents + request.events.count > maxQueuedEvents
                || state.queuedBytes + request.bytes > maxQueuedBytes {
                return .overloaded(retryAfterSeconds: Self.retryAfter(state))
            }
            state.pending.append(request)
            state.queuedEvents += request.events.count
            state.queuedBytes += request.bytes
            scheduleDrainIfNeeded(&state)
            return nil
        }
    }

    var committedBatches: Int { state.withLock { $0.committedBatches } }
    /// Appends queued and not yet taken by the writer (tests wait on it instead of sleeping).
    var pendingAppends: Int { state.withLock { $0.pending.count } }

    func pause() { state.withLock { $0.paused = true } }

    func resume() {
        state.withLock { state in
            state.paused = false
            scheduleDrainIfNeeded(&state)
        }
    }

    /// Refuses new requests, lets every queued one commit, and returns when they have.
    func close() async {
        state.withLock { state in
            state.closed = true
            state.paused = false
            scheduleDrainIfNeeded(&state)
        }
        // The queue is serial and the drain loop runs until the queue is empty, so this item
        // runs after the last queued request was answered.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { continuation.resume() }
        }
    }

    /// Called with the lock held: scheduling under the lock keeps `close()`'s barrier behind it.
    private func scheduleDrainIfNeeded(_ state: inout State) {
        guard !state.draining, !state.paused, !state.pending.isEmpty else { return }
        state.draining = true
        queue.async { self.drain() }
    }

    private func drain() {
        while let batch = takeBatch() {
            let started = DispatchTime.now().uptimeNanoseconds
            let (results, logged) = writer.write(batch)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let events = batch.reduce(0) { $0 + $1.events.count }
            let bytes = batch.reduce(0) { $0 + $1.bytes }
            // Before anyone is answered, so a read after the answer waits for this frame.
            if let logged { indexer.enqueue(logged) }
            state.withLock { state in
                if logged == nil {
                    // Nothing of a failed batch waits for the indexer.
                    state.queuedEvents -= events
                    state.queuedBytes -= bytes
                }
                state.committedBatches += 1
                state.committedEvents += events
                if seconds > 0, events > 0 {
                    let rate = Double(events) / seconds
                    state.eventsPerSecond = state.eventsPerSecond == 0 ? rate : 0.8 * state.eventsPerSecond + 0.2 * rate
                }
            }
            for (request, result) in zip(batch, results) {
                request.continuation.resume(returning: result)
            }
        }
    }

    /// The next batch: queued requests in order, at least one, up to the batch caps.
    private func takeBatch() -> [PendingAppend]? {
        state.withLock { state -> [PendingAppend]? in
            guard !state.paused, !state.pending.isEmpty else {
                state.draining = false
                return nil
            }
            var events = 0
            var bytes = 0
            var count = 0
            for request in state.pending {
                if count > 0, events + request.events.count > maxBatchEvents || bytes + request.bytes > maxBatchBytes {
                    break
                }
                events += request.events.count
                bytes += request.bytes
                count += 1
            }
            let batch = Array(state.pending.prefix(count))
            state.pending.removeFirst(count)
            return batch
        }
    }

    /// Seconds until the queue has likely drained, from the recent commit rate; 1...60.
    private static func retryAfter(_ state: State) -> Int {
        guard state.eventsPerSecond > 0 else { return 1 }
        let seconds = (Double(state.queuedEvents) / state.eventsPerSecond).rounded(.up)
        return Int(min(60, max(1, seconds)))
    }
}
