import Dispatch
import Foundation
import GRDB
import MWRASPCore
import Synchronization

/// The embedded store (DESIGN.md §10): an append-only event log for durability, SQLite in WAL
/// mode through GRDB for everything that is queried.
///
/// Appends go through `WriteQueue` (group commit on its own serial queue): `LogAppender`
/// writes each batch as one checksummed frame of `EventLog` with one synchronous write, and only then
/// are the callers answered, so an acknowledged append survives kill -9 and power loss. The
/// `Indexer` then applies the frame to SQLite (typed columns and indexes; the event bytes stay
/// in the log), with the log position as checkpoint; at open, frames past the checkpoint are
/// applied again. Reads use GRDB's reader connections and first wait until everything
/// acknowledged before them is indexed, so a GET after a 202 sees the event.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
    private let writeQueue: WriteQueue
    private let indexer: Indexer
    /// Copies the WAL into the database file off the writer connection (nil when configured off).
    private let walCheckpointer: WALCheckpointer?
    let eventLog: EventLog
    /// The newest durable events, for the detection pipeline (`events(afterSequence:)`).
    let recentEvents: RecentEvents
    private let isClosed = Mutex(false)

    /// Opens (creating the directory and file if missing) and migrates.
    public init(configuration: StoreConfiguration) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true)
            var grdb = Configuration()
            grdb.label = "mwrasp.storage"
            grdb.busyMode = .timeout(10)
            grdb.prepareDatabase { db in
                // 8 MiB of page cache per reader connection (GRDB opens up to five); the writer
                // gets more below. 64 MiB on every connection kept ~350 MiB resident after bulk
                // ingestion filled the caches.
                try db.execute(sql: "PRAGMA cache_size = -8192")
                // 4 KiB pages (applies when the file is created; older files keep theirs). Rows
                // hold no event bytes since the event log, and what a transaction writes is
                // dominated by index pages it touches at random (alerts by fingerprint): each
                // such insert rewrites a whole page. POST /v1/events wrote 22 KB per request to
                // SQLite with 16 KiB pages, 17 KB with 8 KiB, 13 KB with 4 KiB (/proc/PID/io
                // wchar, same run), at about 15% less CPU; bulk (StorageBench) was the same.
                try db.execute(sql: "PRAGMA page_size = 4096")
            }
            let pool = try DatabasePool(path: configuration.databasePath, configuration: grdb)
            try pool.writeWithoutTransaction { db in
                // GRDB sets synchronous = NORMAL when it enables WAL (after prepareDatabase), which
                // can lose the last commits on power loss. "202 means durable" needs FULL: every
                // commit fsyncs the WAL. It is per connection; only the writer writes.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // The writer connection is the indexer's (and the detection pipeline's): it
                // appends at the right edge of the tables and indexes, so 16 MiB holds its
                // working set; the writer's lookups use their own connection. (It was 64 MiB
                // when dedup and idempotency lookups ran here, and stayed resident after bursts.)
                try db.execute(sql: "PRAGMA cache_size = -16384")
                // Checkpoint every 64 MiB of WAL instead of 4 MiB: one group commit of 10k
                // alerts is ~13 MiB, so the default would checkpoint after every commit. (No
                // throughput difference was measurable either way; this keeps the work batched.)
                // `WALCheckpointer` does most of the copying off this connection; this one is
                // the backstop that lets the WAL restart from its beginning.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                // Truncate the WAL back to 64 MiB after checkpoints so it does not stay huge.
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
            try StoreSchema.migrator.migrate(pool)
            self.pool = pool
            walCheckpointer = try configuration.walCheckpointMilliseconds > 0
                ? WALCheckpointer(path: configuration.databasePath, intervalMilliseconds: configuration.walCheckpointMilliseconds)
                : nil
        } catch {
            throw StoreError.wrap(error)
        }
        let log = try EventLog(directory: configuration.logDirectory)
        let recovery = try LogRecovery.run(log: log, pool: pool)
        let filter = try LogRecovery.loadKeyFilter(pool: pool, bits: configuration.keyFilterBits)
        eventLog = log
        recentEvents = RecentEvents(capacityBytes: configuration.recentEventBytes)
        indexer = Indexer(pool: pool, appliedPosition: recovery.endPosition,
                          idempotencyRetention: configuration.idempotencyRetentionMilliseconds, 
                          gatherMilliseconds: configuration.indexGatherMilliseconds)
        let appender: LogAppender
        do {
            appender = try LogAppender(pool: pool, log: log, indexer: indexer, filter: filter, recent: recentEvents,
                                       nextSequence: recovery.nextSequence, configuration: configuration)
        } catch {
            throw StoreError.wrap(error)
        }
        writeQueue = WriteQueue(writer: appender, indexer: indexer, configuration: configuration)
    }

    // MARK: Appends

    public func append(_ events: [Event], fingerprints: [String?], idempotencyKey: String?, answer: StoredAnswer?)
        async throws(StoreError) -> AppendOutcome
    {
        if events.isEmpty && idempotencyKey == nil {
            if isClosed.withLock({ $0 }) { throw .closed }
            return .stored(stored: 0, skippedDuplicates: 0)
        }
        return try await submit(events, fingerprints: fingerprints, idempotencyKey: idempotencyKey, answer: answer,
                                reportsDuplicate: false)
    }

    public func appendIdentified(_ event: Event, fingerprint: String?) async throws(StoreError) -> AppendOutcome {
        try await submit([event], fingerprints: [fingerprint], idempotencyKey: nil, answer: nil, reportsDuplicate: true)
    }

    private func submit(_ events: [Event], fingerprints: [String?], idempotencyKey: String?, answer: StoredAnswer?,
                        reportsDuplicate: Bool) async throws(StoreError) -> AppendOutcome
    {
        if isClosed.withLock({ $0 }) { throw .closed }
        let bytes = events.reduce(0) { $0 + EventRow.queuedBytes($1) } + (answer?.body.count ?? 0)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AppendOutcome, StoreError>, Never>) in
            var request = PendingAppend(
                events: events, fingerprints: fingerprints, idempotencyKey: idempotencyKey, answer: answer,
                bytes: bytes, continuation: continuation)
            request.reportsDuplicate = reportsDuplicate
            if let refusal = writeQueue.submit(request) {
                continuation.resume(returning: .failure(refusal))
            }
        }
        return try result.get()
    }

    /// Group commits (log frames) written so far (tests check that appends are batched).
    var committedBatches: Int { writeQueue.committedBatches }

    /// Appends waiting for the writer (tests hold the writer and wait for this).
    var pendingAppends: Int { writeQueue.pendingAppends }

    /// Holds the writer (tests fill the queue deterministically); `resumeWriter` releases it.
    func pauseWriter() { writeQueue.pause() }
    func resumeWriter() { writeQueue.resume() }
    /// Holds the indexer: appends are acknowledged from the log while SQLite lags.
    func pauseIndexerForTesting() { indexer.pause() }
    func resumeIndexerForTesting() { indexer.resume() }
    var poolForTesting: DatabasePool { pool }
    var walCheckpointerForTesting: WALCheckpointer? { walCheckpointer }

    // MARK: Reads

    public func events(_ query: EventQuery) async throws(StoreError) -> EventPage {
        let after = try query.cursor.map { (cursor: String) throws(StoreError) -> EventID in try EventCursor.decode(cursor) }
        let plan = EventQueryPlan(query, after: after)
        let log = eventLog
        return try await read { db in try plan.page(db: db, log: log) }
    }

    public func event(id: EventID) async throws(StoreError) -> StoredEvent? {
        let log = eventLog
        return try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(EventRow.columns) FROM events WHERE id = ?")
            return try Row.fetchOne(statement, arguments: [id.rawValue]).map { row throws in try EventRow.decode(row, log: log) }
        }
    }

    public func alert(id: Int64) async throws(StoreError) -> AlertRecord? {
        try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(AlertRow.columns) FROM alerts WHERE id = ?")
            return try Row.fetchOne(statement, arguments: [id]).map(AlertRow.decode)
        }
    }

    public func alerts(forFingerprint fingerprint: String) async throws(StoreError) -> [AlertRecord] {
        try await read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(AlertRow.columns) FROM alerts WHERE fingerprint = ? ORDER BY id")
            return try Row.fetchAll(statement, arguments: [fingerprint]).map(AlertRow.decode)
        }
    }

    public func eventCount() async throws(StoreError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0 }
    }

    // MARK: Tokens

    public func insertToken(_ token: TokenRecord) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO tokens (\(TokenRow.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: TokenRow.arguments(token))
        }
    }

    public func tokens() async throws(StoreError) -> [TokenRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(TokenRow.columns) FROM tokens ORDER BY created_at, id")
                .map(TokenRow.decode)
        }
    }

    public func revokeToken(id: String, at time: Int64) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [time, id])
            return db.changesCount > 0
        }
    }

    public func touchTokens(_ lastUsed: [String: Int64]) async throws(StoreError) {
        guard !lastUsed.isEmpty else { return }
        try await write { db in
            // Never moves lastUsedAt backwards (touches from several flushes may arrive late).
            let statement = try db.cachedStatement(sql: """
                UPDATE tokens SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)
                """)
            for (id, time) in lastUsed {
                try statement.execute(arguments: [time, id])
            }
        }
    }

    // MARK: Operations

    public func isHealthy() async -> Bool {
        // Health must not wait behind the indexer during a burst.
        (try? await read(waitForIndex: false) { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// A complete copy of the store in a new data directory `path`: SQLite's online backup
    /// (after the indexer has caught up with what was acknowledged so far), then the log's
    /// segments. The copy's checkpoint is at most the log position copied, so
    /// opening it re-applies any frame the SQLite copy had not indexed yet; a frame being
    /// written while its segment was copied is torn in the copy, unacknowledged when the SQLite
    /// copy was taken, and recovery stops before it.
    public func backup(to path: String) async throws(StoreError) {
        if isClosed.withLock({ $0 }) { throw .closed }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .database("backup target already exists: \(path)")
        }
        // Let the SQLite copy hold everything acknowledged before the call (as reads do), so a
        // backup is usable by tools that read SQLite alone; the log copy covers any remainder.
        await indexer.waitUntilIndexed()
        let pool = self.pool
        let log = eventLog
        // The copies are synchronous: keep them off the cooperative pool.
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, StoreError>, Never>) in
            DispatchQueue.global(qos: .utility).async {
                do {
                    let target = StoreConfiguration(dataDirectory: path)
                    try FileManager.default.createDirectory(atPath: target.logDirectory, withIntermediateDirectories: true)
                    let destination = try DatabaseQueue(path: target.databasePath)
                    try pool.backup(to: destination)
                    try destination.close()
                    for start in log.segmentStarts {
                        let name = (log.segmentPath(start) as NSString).lastPathComponent
                        try FileManager.default.copyItem(atPath: log.segmentPath(start), toPath: target.logDirectory + "/" + name)
                    }
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(.wrap(error)))
                }
            }
        }
        try result.get()
    }

    public func close() async {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        await writeQueue.close()
        await indexer.close()
        walCheckpointer?.stop()
        let pool = self.pool
        let log = eventLog
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                // Leave a small WAL behind and let the next open start clean; failure here only
                // means a reader was still busy, and SQLite recovers the WAL on the next open.
                _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
                try? pool.close()
                log.close()
                continuation.resume()
            }
        }
    }

    // MARK: Helpers

    /// A read on one of GRDB's reader connections (their own dispatch queues, not the
    /// cooperative pool), once everything acknowledged before the call is indexed.
    func read<T: Sendable>(waitForIndex: Bool = true, _ body: @escaping @Sendable (Database) throws -> T)
        async throws(StoreError) -> T
    {
        if isClosed.withLock({ $0 }) { throw .closed }
        if waitForIndex { await indexer.waitUntilIndexed() }
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// A write of data that can be derived again from what is durable (the detection pipeline's
    /// results, with their checkpoint): see `Database.inRederivableTransaction`.
    func writeRederivable<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        if isClosed.withLock({ $0 }) { throw .closed }
        do {
            return try await pool.writeWithoutTransaction { db in try db.inRederivableTransaction(body) }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// A small write (tokens) in its own transaction on the writer connection, serialized with
    /// the group commits.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        if isClosed.withLock({ $0 }) { throw .closed }
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
