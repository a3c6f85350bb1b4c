import GRDB
import Logging
import MWRASPCore

/// Brings SQLite up to date with the event log when the store opens: every frame after the
/// indexer's checkpoint is applied again (idempotently), a torn tail is cut off, and the writer
/// learns where to continue.
enum LogRecovery {
    struct Result {
        /// Where the next frame goes; also the position SQLite now reflects.
        var endPosition: Int64
        var nextSequence: Int64
    }

    private static let logger = Logger(label: "mwrasp.storage.recovery")
    /// Frames are applied in transactions of about this many events.
    private static let chunkEvents = 20_000

    static func run(log: EventLog, pool: DatabasePool) throws(StoreError) -> Result {
        do {
            let checkpoint = try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT value FROM checkpoints WHERE name = ?", arguments: [Indexer.checkpointName])
            } ?? 0
            var chunk = IndexBatch()
            chunk.endPosition = checkpoint
            var frames = 0
            var events = 0
            var highestSequence: Int64 = 0
            let end = try log.scan(from: checkpoint) { payload, payloadPosition throws(StoreError) in
                var decoder = LogEntryDecoder(payload: payload, payloadPosition: payloadPosition)
                while !decoder.isAtEnd {
                    let entry = try decoder.next()
                    if case .event(let event) = entry { highestSequence = max(highestSequence, event.sequence) }
                    chunk.append(entry)
                }
                let frameStart = payloadPosition - Int64(LogFormat.headerSize)
                chunk.endPosition = frameStart + Int64(AlignedBuffer.roundUp(LogFormat.headerSize + payload.count))
                frames += 1
                if chunk.events.count >= chunkEvents {
                    events += chunk.events.count
                    try apply(chunk, pool: pool)
                    chunk = IndexBatch(endPosition: chunk.endPosition)
                }
            }
            events += chunk.events.count
            if chunk.endPosition > checkpoint { try apply(chunk, pool: pool) }
            try log.openForAppend(at: end)
            if frames > 0 {
                logger.info("event log replayed into SQLite", metadata: [
                    "frames": "\(frames)", "events": "\(events)", "from": "\(checkpoint)", "to": "\(end)",
                ])
            }
            let stored = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") } ?? 0
            return Result(endPosition: end, nextSequence: max(stored, highestSequence) + 1)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    private static func apply(_ batch: IndexBatch, pool: DatabasePool) throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try Indexer.apply([batch], through: batch.endPosition, db: db)
                    return .commit
                }
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The Bloom filter over every stored event id, (source, external id), idempotency key and
    /// alert fingerprint.
    /// One pass over the id index and the two key tables: about a second per several million
    /// events at start-up.
    static func loadKeyFilter(pool: DatabasePool, bits: Int) throws(StoreError) -> KeyFilter {
        let filter = KeyFilter(bits: bits)
        do {
            try pool.read { db in
                let ids = try String.fetchCursor(db, sql: "SELECT id FROM events")
                while let id = try ids.next() { filter.insert(KeyHash(.eventID, id)) }
                let externals = try Row.fetchCursor(db, sql: "SELECT source, external_id FROM events WHERE external_id IS NOT NULL")
                while let row = try externals.next() {
                    let source: String = row[0]
                    let external: String = row[1]
                    filter.insert(KeyHash(.external, external, scope: source))
                }
                let keys = try String.fetchCursor(db, sql: "SELECT key FROM idempotency")
                while let key = try keys.next() { filter.insert(KeyHash(.idempotency, key)) }
                let fingerprints = try String.fetchCursor(db, sql: "SELECT DISTINCT fingerprint FROM alerts")
                while let fingerprint = try fingerprints.next() { filter.insert(KeyHash(.fingerprint, fingerprint)) }
            }
        } catch {
            throw StoreError.wrap(error)
        }
        return filter
    }
}
