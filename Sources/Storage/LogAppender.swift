import Dispatch
import GRDB
import MWRASPCore

/// Turns one group-commit batch of appends into one durable frame of the event log, and
/// decides everything the callers' answers depend on before it is written: idempotency
/// replays, duplicate ids and external ids, alert dedup, commit sequence numbers. The frame is
/// synced before anyone is answered, then handed to the indexer. Confined to the writer queue
/// (hence `@unchecked Sendable`).
///
/// Lookups answer from memory first: keys of this batch, keys logged but not yet indexed
/// (`PendingKeys`), and the Bloom filter of every stored key; only a filter "maybe" costs a
/// SQLite read, on the writer's own read-only connection (`LookupConnection`).
final class LogAppender: @unchecked Sendable {
    private let pool: DatabasePool
    private let lookups: LookupConnection
    private let log: EventLog
    private let indexer: Indexer
    private let dedup: AlertDeduplicator
    private let filter: KeyFilter
    /// Receives each durable frame's events for the detection pipeline.
    private let recent: RecentEvents
    /// The events of the frame being built, as the pipeline will read them.
    private var frameEvents: [SequencedEvent] = []
    private var pending = PendingKeys()
    private var nextSequence: Int64
    private var frame = AlignedBuffer()
    /// Set when a frame failed to be written: memory may be ahead of what is durable, so the
    /// next batch first waits for the indexer and reloads from SQLite.
    private var mustResync = false
    /// The key filter's pages are made resident in the background on the first write.
    private var filterPopulated = false

    init(pool: DatabasePool, log: EventLog, indexer: Indexer, filter: KeyFilter, recent: RecentEvents,
         nextSequence: Int64, configuration: StoreConfiguration) throws {
        self.pool = pool
        self.recent = recent
        self.lookups = try LookupConnection(path: configuration.databasePath)
        self.log = log
        self.indexer = indexer
        self.filter = filter
        self.nextSequence = nextSequence
        self.dedup = AlertDeduplicator(
            windowMilliseconds: configuration.dedupWindowMilliseconds,
            escalateAfterRepeats: configuration.escalateAfterRepeats, filter: filter)
    }

    /// Called once nothing is queued and everything logged is indexed (`WriteQueue.release`): give
    /// back what a burst made big, the frame buffer and the table of pending keys.
    func idle() {
        if frame.capacity > 4 << 20 { frame = AlignedBuffer() }
        pending.prune(appliedThrough: indexer.appliedPosition)
    }

    static func idKey(_ id: EventID) -> PendingKeys.Key {
        PendingKeys.Key(hash: KeyHash(.eventID, id.rawValue), scope: nil, text: id.rawValue)
    }

    static func externalKey(_ source: EventSource, _ externalID: String) -> PendingKeys.Key {
        PendingKeys.Key(hash: KeyHash(.external, externalID, scope: source.rawValue), scope: source.rawValue, text: externalID)
    }

    static func idempotencyKey(_ key: String) -> PendingKeys.Key {
        PendingKeys.Key(hash: KeyHash(.idempotency, key), scope: nil, text: key)
    }

    /// Logs `batch` and answers each request; on success also returns what the indexer must apply.
    func write(_ batch: [PendingAppend]) -> ([Result<AppendOutcome, StoreError>], IndexBatch?) {
        if !filterPopulated {
            filterPopulated = true
            let pages = filter.pages
            DispatchQueue.global(qos: .utility).async { pages.populate() }
        }
        do {
            if mustResync { try resync() }
            let applied = indexer.appliedPosition
            pending.prune(appliedThrough: applied)
            // The alert map may forget live alerts only when SQLite holds all of them.
            dedup.evictExpired(canForgetLive: applied >= log.endPosition)
            let framePosition = log.endPosition
            // A bulk burst grows the frame to many MiB. Keep it while big batches keep coming
            // (reallocating it per batch cost page faults on every one); give it back once
            // the batches are small again.
            let batchBytes = batch.reduce(0) { $0 + $1.bytes }
            if frame.capacity > 4 << 20, batchBytes * 4 < frame.capacity { frame = AlignedBuffer() }
            frame.reset()
            frame.reserve(LogFormat.headerSize)
            for _ in 0..<LogFormat.headerSize / 8 { frame.appendInteger(UInt64(0)) }
            let encoder = LogEntryEncoder(buffer: frame, framePosition: framePosition)
            // Keys of this frame go into the pending table and the filter as they are planned
            // (a later duplicate in the same batch finds them there); if the frame then fails,
            // `resync` clears the table, and the filter only gains harmless false positives.
            let marker = framePosition + 1
            var index = IndexBatch()
            frameEvents.removeAll(keepingCapacity: frameEvents.capacity <= 4096)
            let outcomes = try batch.map { request in try plan(request, encoder: encoder, marker: marker, index: &index) }
            for alert in dedup.takeDirty() {
                encoder.append(alert: alert)
                index.alerts.append(alert)
            }
            try finishFrame(at: framePosition, entries: index.events.count + index.alerts.count + index.keys.count)
            try log.append(frame)
            recent.append(frameEvents)
            frameEvents.removeAll(keepingCapacity: frameEvents.capacity <= 4096)
            index.endPosition = log.endPosition
            index.queuedEvents = batch.reduce(0) { $0 + $1.events.count }
            index.queuedBytes = batchBytes
            return (outcomes.map { .success($0) }, index)
        } catch {
            mustResync = true
            let failure = StoreError.wrap(error)
            return (batch.map { _ in .failure(failure) }, nil)
        }
    }

    private func plan(_ request: PendingAppend, encoder: LogEntryEncoder, marker: Int64, index: inout IndexBatch) throws
        -> AppendOutcome
    {
        var idempotencyKey: PendingKeys.Key?
        if let key = request.idempotencyKey {
            let pendingKey = Self.idempotencyKey(key)
            if let answer = try knownAnswer(pendingKey) { return .replayed(answer) }
            idempotencyKey = pendingKey
        }
        var stored = 0
        var skipped = 0
        for (position, event) in request.events.enumerated() {
            let idKey = Self.idKey(event.id)
            let externalKey = event.externalID.map { Self.externalKey(event.source, $0) }
            if let first = try storedEventID(idKey, exact: { try Self.storedID(event.id, db: $0) }) {
                if request.reportsDuplicate { return .duplicate(of: first) }
                skipped += 1
                continue
            }
            if let externalKey, let first = try storedEventID(externalKey, exact: { try Self.storedID(externalOf: event, db: $0) }) {
                if request.reportsDuplicate { return .duplicate(of: first) }
                skipped += 1
                continue
            }
            var alertID: Int64?
            var isRepeat = false
            if event.kind == .alert, position < request.fingerprints.count, let fingerprint = request.fingerprints[position] {
                let recorded = try dedup.record(event, fingerprint: fingerprint, lookups: lookups)
                alertID = recorded.id
                isRepeat = !recorded.opened
            }
            let sequence = nextSequence
            nextSequence += 1
            let blobPosition = encoder.append(event: event, sequence: sequence, alertID: alertID)
            index.events.append(LoggedEvent(event: event, sequence: sequence, alertID: alertID, blobPosition: blobPosition))
            frameEvents.append(SequencedEvent(
                sequence: sequence, event: isRepeat ? Self.withoutBytes(event) : event, alertID: alertID, isRepeat: isRepeat))
            remember(idKey, eventID: event.id, marker: marker)
            if let externalKey { remember(externalKey, eventID: event.id, marker: marker) }
            stored += 1
        }
        if let key = request.idempotencyKey, let idempotencyKey {
            let logged = LoggedKey(key: key, answer: request.answer ?? IdempotencyLedger.defaultAnswer,
                                   createdAt: WallClock.milliseconds())
            encoder.append(key: logged)
            index.keys.append(logged)
            remember(idempotencyKey, answer: logged.answer, marker: marker)
        }
        return .stored(stored: stored, skippedDuplicates: skipped)
    }

    /// A repeat is counted, never judged: the pipeline gets it without its bytes, as from SQLite.
    private static func withoutBytes(_ event: Event) -> Event {
        event.withoutBytes()
    }

    private func remember(_ key: PendingKeys.Key, answer: StoredAnswer? = nil, eventID: EventID? = nil, marker: Int64) {
        filter.insert(key.hash)
        pending.add(key, answer: answer, eventID: eventID, marker: marker)
    }

    private func knownAnswer(_ key: PendingKeys.Key) throws -> StoredAnswer? {
        if let pendingAnswer = pending.lookup(key), let answer = pendingAnswer { return answer }
        guard filter.mightContain(key.hash) else { return nil }
        return try lookups.read { db in try IdempotencyLedger.answer(forKey: key.text, db: db) }
    }

    /// The id of the event stored under `key` (an id or a sender id), nil when none is.
    private func storedEventID(_ key: PendingKeys.Key, exact: (Database) throws -> EventID?) throws -> EventID? {
        if let value = pending.value(key) { return value.eventID }
        guard filter.mightContain(key.hash) else { return nil }
        return try lookups.read(exact)
    }

    private static func storedID(_ id: EventID, db: Database) throws -> EventID? {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM events WHERE id = ?")
        return try Int.fetchOne(statement, arguments: [id.rawValue]) != nil ? id : nil
    }

    private static func storedID(externalOf event: Event, db: Database) throws -> EventID? {
        let statement = try db.cachedStatement(sql: "SELECT id FROM events WHERE source = ? AND external_id = ?")
        return try String.fetchOne(statement, arguments: [event.source.rawValue, event.externalID]).flatMap(EventID.init(rawValue:))
    }

    /// Fills in the header: the payload's length and checksum are known only now.
    private func finishFrame(at position: Int64, entries: Int) throws(StoreError) {
        let payloadLength = frame.count - LogFormat.headerSize
        guard payloadLength <= Int(UInt32.max) else { throw .database("event log: frame of \(payloadLength) bytes is too large") }
        let payload = UnsafeRawBufferPointer(start: frame.base + LogFormat.headerSize, count: payloadLength)
        frame.patchInteger(LogFormat.magic, at: 0)
        frame.patchInteger(UInt32(payloadLength), at: 4)
        frame.patchInteger(EventLog.checksum(payload), at: 8)
        frame.patchInteger(UInt32(truncatingIfNeeded: entries), at: 12)
        frame.patchInteger(position, at: 16)
        frame.padToBlock()
    }

    /// After a failed frame: wait until SQLite holds everything that was durable, then forget
    /// what memory believed and reload it.
    private func resync() throws {
        indexer.waitUntilIdleBlocking()
        dedup.reset()
        pending.removeAll()
        nextSequence = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM events") ?? 1 }
        mustResync = false
    }
}
