import Dispatch
import Foundation
import GRDB
import MWRASPCore
import Synchronization

/// The embedded store: SQLite in WAL mode through GRDB (DESIGN.md §10).
///
/// Writes of events go through `WriteQueue` (group commit on its own serial queue); reads use
/// GRDB's reader connections, which in WAL mode never wait for the writer. The writer
/// connection runs with `synchronous = FULL`, so a commit returns after the WAL is fsynced and
/// an acknowledged append survives kill -9 and power loss.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
    private let writeQueue: WriteQueue
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
                // 16 KiB pages (applies when the file is created): a ~1.3 KB event row plus its
                // index entries dirty fewer WAL frames than with 4 KiB pages. Measured with
                // StorageBench (one run each): 61k -> 91k events/s without the timestamp index;
                // 64 KiB pages were as fast bare but slower once indexes dirty scattered pages.
                try db.execute(sql: "PRAGMA page_size = 16384")
            }
            let pool = try DatabasePool(path: configuration.databasePath, configuration: grdb)
            try pool.writeWithoutTransaction { db in
                // GRDB sets synchronous = NORMAL when it enables WAL (after prepareDatabase), which
                // can lose the last commits on power loss. "202 means durable" needs FULL: every
                // commit fsyncs the WAL. It is per connection; only the writer writes.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // The writer's cache keeps the index pages of recent ids hot: 64 MiB.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                // Checkpoint every 64 MiB of WAL instead of 4 MiB: one group commit of 10k
                // alerts is ~13 MiB, so the default would checkpoint after every commit. (No
                // throughput difference was measurable either way; this keeps the work batched.)
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                // Truncate the WAL back to 64 MiB after checkpoints so it does not stay huge.
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
            try StoreSchema.migrator.migrate(pool)
            self.pool = pool
        } catch {
            throw StoreError.wrap(error)
        }
        writeQueue = WriteQueue(writer: BatchWriter(pool: pool, configuration: configuration), configuration: configuration)
    }

    // MARK: Appends

    public func append(_ events: [Event], fingerprints: [String?], idempotencyKey: String?, answer: StoredAnswer?)
        async throws(StoreError) -> AppendOutcome
    {
        if isClosed.withLock({ $0 }) { throw .closed }
        if events.isEmpty && idempotencyKey == nil { return .stored(stored: 0, skippedDuplicates: 0) }
        let bytes = events.reduce(0) { $0 + EventRow.queuedBytes($1) } + (answer?.body.count ?? 0)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<AppendOutcome, StoreError>, Never>) in
            let request = PendingAppend(
                events: events, fingerprints: fingerprints, idempotencyKey: idempotencyKey, answer: answer,
                bytes: bytes, continuation: continuation)
            if let refusal = writeQueue.submit(request) {
                continuation.resume(returning: .failure(refusal))
            }
        }
        return try result.get()
    }

    /// Group-commit transactions committed so far (tests check that appends are batched).
    var committedBatches: Int { writeQueue.committedBatches }

    /// Holds the writer (tests fill the queue deterministically); `resumeWriter` releases it.
    func pauseWriter() { writeQueue.pause() }
    func resumeWriter() { writeQueue.resume() }
    var poolForTesting: DatabasePool { pool }

    // MARK: Reads

    public func events(_ query: EventQuery) async throws(StoreError) -> EventPage {
        let after = try query.cursor.map { (cursor: String) throws(StoreError) -> EventID in try EventCursor.decode(cursor) }
        let plan = EventQueryPlan(query, after: after)
        return try await read { db in try plan.page(db: db) }
    }

    public func event(id: EventID) async throws(StoreError) -> StoredEvent? {
        try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(EventRow.columns) FROM events WHERE id = ?")
            return try Row.fetchOne(statement, arguments: [id.rawValue]).map(EventRow.decode)
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
        (try? await read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func backup(to path: String) async throws(StoreError) {
        if isClosed.withLock({ $0 }) { throw .closed }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .database("backup target already exists: \(path)")
        }
        let pool = self.pool
        // The online backup copies the whole file synchronously: keep it off the cooperative pool.
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, StoreError>, Never>) in
            DispatchQueue.global(qos: .utility).async {
                do {
                    let destination = try DatabaseQueue(path: path)
                    try pool.backup(to: destination)
                    try destination.close()
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
        let pool = self.pool
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .utility).async {
                // Leave a small WAL behind and let the next open start clean; failure here only
                // means a reader was still busy, and SQLite recovers the WAL on the next open.
                _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
                try? pool.close()
                continuation.resume()
            }
        }
    }

    // MARK: Helpers

    /// A read on one of GRDB's reader connections (their own dispatch queues, not the cooperative pool).
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        if isClosed.withLock({ $0 }) { throw .closed }
        do {
            return try await pool.read(body)
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
