import Dispatch
import Foundation
import GRDB
import Logging
import Synchronization

/// Brings SQLite up to date with the event log, right behind the writer: the typed columns,
/// the indexes, the alerts and the idempotency keys of each logged frame, with the log
/// position as checkpoint in the same transaction (so a crash re-applies, never skips; every
/// statement is an idempotent upsert). Runs on its own serial dispatch queue (SQLite blocks).
///
/// Reads that must see an acknowledged append (`GET /v1/events` right after a 202) wait for
/// `waitUntilIndexed`; the lag is bounded by the writer queue's caps, which count an event
/// until it is indexed.
final class Indexer: Sendable {
    static let checkpointName = "log.applied"

    private struct State {
        var pending: [IndexBatch] = []
        var draining = false
        /// End of the last frame handed over by the writer.
        var acknowledged: Int64 = 0
        /// End of the last frame committed to SQLite.
        var applied: Int64 = 0
        var waiters: [(position: Int64, id: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiterID = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// Tests hold the indexer to observe the log ahead of SQLite.
        var paused = false
        /// A drain is scheduled after the gathering delay (not yet started).
        var delayed = false
        var pendingEvents = 0
    }

    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "mwrasp.storage.indexer", qos: .userInitiated)
    private let pool: DatabasePool
    private let idempotencyRetention: Int64
    /// How long frames gather before a transaction applies them (see `enqueue`).
    private let gatherDelay: DispatchTimeInterval
    /// Past this many pending events the transaction starts without waiting.
    static let gatherEvents = 512
    /// The writer queue counts an event until it is indexed; this gives its share back.
    private let releaseHandler = Mutex<(@Sendable (_ events: Int, _ bytes: Int) -> Void)?>(nil)
    private let purge = Mutex<Int64>(0)
    private static let logger = Logger(label: "mwrasp.storage.indexer")

    init(pool: DatabasePool, appliedPosition: Int64, idempotencyRetention: Int64, gatherMilliseconds: Int) {
        self.pool = pool
        self.idempotencyRetention = idempotencyRetention
        gatherDelay = .milliseconds(max(0, gatherMilliseconds))
        state = Mutex(State(acknowledged: appliedPosition, applied: appliedPosition))
    }

    func onRelease(_ handler: @escaping @Sendable (_ events: Int, _ bytes: Int) -> Void) {
        releaseHandler.withLock { $0 = handler }
    }

    var appliedPosition: Int64 { state.withLock { $0.applied } }
    var acknowledgedPosition: Int64 { state.withLock { $0.acknowledged } }

    /// Hands over a logged (durable) batch. Called on the writer queue, before its callers
    /// are answered, so a read issued after an answer waits for it.
    ///
    /// Frames gather for a few milliseconds before one transaction applies them all: under a
    /// stream of single-event POSTs the writer logs a frame of ~20 events each millisecond, and
    /// a transaction per frame rewrote the same B-tree pages into the WAL again and again. A
    /// reader waiting for its write (`waitUntilIndexed`), a close, or enough pending events
    /// start the transaction at once.
    func enqueue(_ batch: IndexBatch) {
        state.withLock { state in
            state.acknowledged = max(state.acknowledged, batch.endPosition)
            state.pending.append(batch)
            state.pendingEvents += batch.events.count
            scheduleDrainIfNeeded(&state, gather: state.waiters.isEmpty && state.pendingEvents < Self.gatherEvents)
        }
    }

    private func scheduleDrainIfNeeded(_ state: inout State, gather: Bool = false) {
        guard !state.paused, !state.pending.isEmpty else { return }
        if state.draining {
            // Already scheduled; a delayed drain is brought forward when waiting is over.
            guard state.delayed, !gather else { return }
            state.delayed = false
            queue.async { self.drain() }
            return
        }
        state.draining = true
        if gather, gatherDelay != .milliseconds(0) {
            state.delayed = true
            queue.asyncAfter(deadline: .now() + gatherDelay) { self.drain() }
        } else {
            queue.async { self.drain() }
        }
    }

    func pause() { state.withLock { $0.paused = true } }

    func resume() {
        state.withLock { state in
            state.paused = false
            scheduleDrainIfNeeded(&state)
        }
    }

    /// Returns once everything acknowledged before the call is in SQLite, or after `timeout`
    /// (a failing indexer must not hang every read; the read then sees what is indexed).
    func waitUntilIndexed(timeout: Duration = .seconds(5)) async {
        let (target, ready) = state.withLock { ($0.acknowledged, $0.applied >= $0.acknowledged) }
        if ready { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> Int? in
                if state.applied >= target { return nil }
                state.nextWaiterID += 1
                state.waiters.append((target, state.nextWaiterID, continuation))
                scheduleDrainIfNeeded(&state)
                return state.nextWaiterID
            }
            guard let id else {
                continuation.resume()
                return
            }
            let nanoseconds = UInt64(timeout.components.seconds) * 1_000_000_000
                + UInt64(timeout.components.attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
                let expired = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                expired?.resume()
            }
        }
    }

    /// Blocks the calling thread (the writer queue, never the cooperative pool) until nothing is
    /// pending.
    func waitUntilIdleBlocking() {
        let semaphore = DispatchSemaphore(value: 0)
        queue.async { semaphore.signal() }
        semaphore.wait()
        // A drain may have been rescheduled after a failure; loop until the state is idle.
        while state.withLock({ $0.draining || !$0.pending.isEmpty }) {
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Waits for everything handed over to be applied (close).
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                state.paused = false
                scheduleDrainIfNeeded(&state)
                if !state.draining && state.pending.isEmpty { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Runs on `queue`. Several may be queued (a delayed one and one brought forward); each
    /// takes what is pending, so a late one finds nothing and returns.
    private func drain() {
        while true {
            let batches = state.withLock { state -> [IndexBatch]? in
                state.delayed = false
                if state.pending.isEmpty || state.paused {
                    state.draining = false
                    return nil
                }
                state.pendingEvents = 0
                defer { state.pending.removeAll() }
                return state.pending
            }
            guard let batches else { break }
            let endPosition = batches.map(\.endPosition).max() ?? 0
            let queuedEvents = batches.reduce(0) { $0 + $1.queuedEvents }
            let queuedBytes = batches.reduce(0) { $0 + $1.queuedBytes }
            do {
                // The log is what makes these rows durable (recovery re-applies it).
                try pool.writeWithoutTransaction { db in
                    try db.inRederivableTransaction { db in
                        try Self.apply(batches, through: endPosition, db: db)
                        try purgeIfDue(db: db)
                    }
                }
            } catch {
                // The batches are safe in the log: keep them and try again shortly.
                Self.logger.error("indexing the event log failed; retrying", metadata: ["error": "\(error)"])
                state.withLock { state in
                    state.pending.insert(contentsOf: batches, at: 0)
                    state.pendingEvents += batches.reduce(0) { $0 + $1.events.count }
                    state.draining = true
                }
                queue.asyncAfter(deadline: .now() + 1) { self.drain() }
                return
            }
            releaseHandler.withLock { $0 }?(queuedEvents, queuedBytes)
            let resumed = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.applied = max(state.applied, endPosition)
                let applied = state.applied
                let ready = state.waiters.filter { $0.position <= applied }.map(\.continuation)
                state.waiters.removeAll { $0.position <= applied }
                return ready
            }
            for continuation in resumed { continuation.resume() }
        }
        let idle = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.draining else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        for continuation in idle { continuation.resume() }
    }

    /// Applies the frames of `batches`, in order, and records `position` (the end of the last)
    /// as the checkpoint, inside the caller's transaction. Also used by recovery at open.
    ///
    /// An alert entry is the alert's whole state after its frame, so of several frames
    /// touching the same alert only the last entry is written: when the indexer has fallen
    /// behind a burst (exactly when its time matters), an alert repeated in every frame costs
    /// one upsert, not one per frame.
    static func apply(_ batches: [IndexBatch], through position: Int64, db: Database) throws {
        let insert = try EventInsert(db: db)
        for batch in batches {
            // Indexed loops: the rows are read in place instead of copied out one by one.
            for index in batch.events.indices { try insert.insert(batch.events[index]) }
        }
        var written = Set<Int64>()
        for batch in batches.reversed() {
            for index in batch.alerts.indices.reversed() where written.insert(batch.alerts[index].id).inserted {
                try insert.upsert(batch.alerts[index])
            }
        }
        for batch in batches {
            for key in batch.keys {
                try IdempotencyLedger.record(key.answer, forKey: key.key, at: key.createdAt, db: db)
            }
        }
        try saveCheckpoint(position, db: db)
    }

    static func saveCheckpoint(_ position: Int64, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO checkpoints (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            arguments: [checkpointName, position])
    }

    /// Purging old idempotency keys is opportunistic: at most once a minute.
    private func purgeIfDue(db: Database) throws {
        let now = WallClock.milliseconds()
        let due = purge.withLock { last -> Bool in
            guard now - last >= 60_000 else { return false }
            last = now
            return true
        }
        if due { try IdempotencyLedger.purge(olderThan: now - idempotencyRetention, db: db) }
    }
}

