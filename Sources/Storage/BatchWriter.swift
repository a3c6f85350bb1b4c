import GRDB
import MWRASPCore

/// Writes one group-commit batch: every queued request in ONE transaction, so many callers
/// share one fsync. Confined to the writer queue (hence `@unchecked Sendable`: it is handed to
/// that queue once and never touched elsewhere).
final class BatchWriter: @unchecked Sendable {
    private let pool: DatabasePool
    private let dedup: AlertDeduplicator
    private let idempotencyRetention: Int64
    /// Purging old idempotency keys is opportunistic: at most once a minute, inside a batch.
    private var lastPurge: Int64 = 0
    private let purgeInterval: Int64 = 60_000

    init(pool: DatabasePool, configuration: StoreConfiguration) {
        self.pool = pool
        self.dedup = AlertDeduplicator(
            windowMilliseconds: configuration.dedupWindowMilliseconds,
            escalateAfterRepeats: configuration.escalateAfterRepeats)
        self.idempotencyRetention = configuration.idempotencyRetentionMilliseconds
    }

    /// Commits `batch` (synchronous = FULL: the commit returns after fsync) and answers each
    /// request. A failure rolls the whole batch back and fails every request in it.
    func write(_ batch: [PendingAppend]) -> [Result<AppendOutcome, StoreError>] {
        var outcomes: [AppendOutcome] = []
        outcomes.reserveCapacity(batch.count)
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    // Keys recorded earlier in this same transaction answer like stored ones.
                    var keysInBatch: [String: StoredAnswer] = [:]
                    for request in batch {
                        outcomes.append(try apply(request, keysInBatch: &keysInBatch, db: db))
                    }
                    try dedup.flush(db: db)
                    try purgeIfDue(db: db)
                    return .commit
                }
            }
            dedup.evictExpired()
            return outcomes.map { .success($0) }
        } catch {
            // The in-memory alert map may hold changes that were rolled back: forget it, it is
            // rebuilt from the table on demand.
            dedup.reset()
            let failure = StoreError.wrap(error)
            return batch.map { _ in .failure(failure) }
        }
    }

    private func apply(_ request: PendingAppend, keysInBatch: inout [String: StoredAnswer], db: Database) throws
        -> AppendOutcome
    {
        if let key = request.idempotencyKey {
            if let answer = try keysInBatch[key] ?? IdempotencyLedger.answer(forKey: key, db: db) {
                return .replayed(answer)
            }
        }
        let insert = try EventInsert(db: db)
        var stored = 0
        var skipped = 0
        for (index, event) in request.events.enumerated() {
            // Plan the alert first so the event row names its alert; apply the plan only if the
            // row was really inserted (not a duplicate).
            var alert: AlertRecord?
            if event.kind == .alert, index < request.fingerprints.count, let fingerprint = request.fingerprints[index] {
                alert = try dedup.plan(event, fingerprint: fingerprint, db: db)
            }
            if try insert.insert(event, alertID: alert?.id) {
                stored += 1
                if let alert { dedup.apply(alert) }
            } else {
                skipped += 1
            }
        }
        if let key = request.idempotencyKey {
            let answer = request.answer ?? IdempotencyLedger.defaultAnswer
            try IdempotencyLedger.record(answer, forKey: key, at: WallClock.milliseconds(), db: db)
            keysInBatch[key] = answer
        }
        return .stored(stored: stored, skippedDuplicates: skipped)
    }

    private func purgeIfDue(db: Database) throws {
        let now = WallClock.milliseconds()
        guard now - lastPurge >= purgeInterval else { return }
        lastPurge = now
        try IdempotencyLedger.purge(olderThan: now - idempotencyRetention, db: db)
    }
}
