import Foundation
import GRDB
import MWRASPCore
import Testing
@testable import Storage

/// The event log under the store: recovery after a crash (frames SQLite had not indexed),
/// torn tails, corrupt frames, segment roll-over.
@Suite struct EventLogTests {
    /// Copies the data directory of an open store whose indexer is held, as a crash would
    /// leave it: the log has every acknowledged frame, SQLite does not.
    /// Appends one frame holding `payload` at the log's end (header as the writer makes it).
    static func appendFrame(_ payload: [UInt8], to log: EventLog, using frame: AlignedBuffer) throws {
        frame.reset()
        frame.appendInteger(LogFormat.magic)
        frame.appendInteger(UInt32(payload.count))
        frame.appendInteger(payload.withUnsafeBytes { EventLog.checksum($0) })
        frame.appendInteger(UInt32(0))
        frame.appendInteger(log.endPosition)
        frame.appendInteger(UInt64(0))
        frame.append(payload)
        frame.padToBlock()
        try log.append(frame)
    }

    private static func crashCopy(of directory: borrowing TemporaryDirectory) throws -> TemporaryDirectory {
        let copy = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: directory.path, toPath: copy.path)
        return copy
    }

    @Test func framesNotYetIndexedAreAppliedAtOpen() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let indexed = (0..<10).map { Sample.event($0) }
        try await store.append(indexed)
        _ = try await store.eventCount()  // waits for the indexer
        store.pauseIndexerForTesting()
        let logged = (10..<40).map { Sample.event($0, externalID: "x\($0)") }
        _ = try await store.append(logged, fingerprints: logged.map { _ in "fp" }, idempotencyKey: "key-1",
                                   answer: StoredAnswer(status: 202, contentType: "application/json", body: [7]))
        let copy = try Self.crashCopy(of: directory)
        store.resumeIndexerForTesting()
        await store.close()

        // SQLite in the copy holds only the first ten.
        let raw = try DatabaseQueue(path: copy.path + "/mwrasp.sqlite")
        #expect(try await raw.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == 10)
        try raw.close()

        let reopened = try Sample.store(copy)
        #expect(try await reopened.eventCount() == 40)
        #expect(try await reopened.event(id: logged[5].id)?.event == logged[5])
        #expect(try await reopened.alerts(forFingerprint: "fp").map(\.count) == [30])
        // The idempotency key and the external ids came back too: a retry stores nothing.
        let replay = try await reopened.append([Sample.event(99)], fingerprints: [nil], idempotencyKey: "key-1", answer: nil)
        #expect(replay == .replayed(StoredAnswer(status: 202, contentType: "application/json", body: [7])))
        #expect(try await reopened.append([Sample.event(100, externalID: "x12")]) == .stored(stored: 0, skippedDuplicates: 1))
        // Sequence numbers continue after the replayed ones.
        let next = Sample.event(101)
        try await reopened.append([next])
        let tail = try await reopened.events(afterSequence: 40, limit: 10)
        #expect(tail.map(\.event.id) == [next.id])
        await reopened.close()
    }

    @Test func aTornTailIsCutOffAndAppendsContinue() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = (0..<5).map { Sample.event($0) }
        try await store.append(events)
        await store.close()
        // A crash in the middle of the next frame's write: a header and half a payload, right
        // after the last frame (the file itself is zero-filled further ahead).
        let reader = try EventLog(directory: directory.path + "/log")
        let end = UInt64(try reader.scan(from: 0) { _, _ throws(StoreError) in })
        reader.close()
        #expect(end == 4096)
        let segment = directory.path + "/log/" + String(repeating: "0", count: 20) + ".seg"
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        try handle.seek(toOffset: end)
        var torn = [UInt8](repeating: 0, count: 4096)
        withUnsafeBytes(of: LogFormat.magic.littleEndian) { torn.replaceSubrange(0..<4, with: $0) }
        withUnsafeBytes(of: UInt32(9_000).littleEndian) { torn.replaceSubrange(4..<8, with: $0) }
        withUnsafeBytes(of: Int64(end).littleEndian) { torn.replaceSubrange(16..<24, with: $0) }
        try handle.write(contentsOf: Data(torn))
        try handle.close()

        let reopened = try Sample.store(directory)
        #expect(try await reopened.eventCount() == 5)
        let more = Sample.event(6)
        try await reopened.append([more])
        await reopened.close()
        let again = try Sample.store(directory)
        #expect(try await again.eventCount() == 6)
        #expect(try await again.event(id: more.id)?.event == more)
        await again.close()
    }

    @Test func recoveryStopsAtAFrameWhoseChecksumFails() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        try await store.append([Sample.event(1)])
        _ = try await store.eventCount()
        store.pauseIndexerForTesting()
        let second = Sample.event(2)
        try await store.append([second])
        let copy = try Self.crashCopy(of: directory)
        store.resumeIndexerForTesting()
        await store.close()
        // Flip a byte inside the second frame's payload (frames start on 4 KiB boundaries).
        let segment = copy.path + "/log/" + String(repeating: "0", count: 20) + ".seg"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[4096 + LogFormat.headerSize + 40] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let reopened = try Sample.store(copy)
        #expect(try await reopened.eventCount() == 1)
        #expect(try await reopened.event(id: second.id) == nil)
        await reopened.close()
    }

    @Test func segmentsRollOverAndStayReadable() async throws {
        let directory = TemporaryDirectory()
        let log = try EventLog(directory: directory.path + "/log", segmentBytes: 8192)
        try log.openForAppend(at: 0)
        let frame = AlignedBuffer()
        var payloads: [Int64: UInt8] = [:]
        // 24 frames, two per 8 KiB segment: the oldest segments are read through a descriptor
        // opened for the one read, the newest through cached ones.
        for n in 0..<24 {
            let position = log.endPosition
            try Self.appendFrame([UInt8](repeating: UInt8(n), count: 100), to: log, using: frame)
            payloads[position] = UInt8(n)
        }
        #expect(log.segmentStarts.count == 12)
        for (position, value) in payloads {
            #expect(try log.read(position: position + Int64(LogFormat.headerSize), count: 100) == [UInt8](repeating: value, count: 100))
        }
        log.close()
        let reopened = try EventLog(directory: directory.path + "/log", segmentBytes: 8192)
        var seen: [UInt8] = []
        let end = try reopened.scan(from: 0) { payload, _ throws(StoreError) in seen.append(payload[0]) }
        #expect(seen == (0..<24).map(UInt8.init))
        #expect(end == 24 * 4096)
        reopened.close()
    }
}

/// `EventLog.read(_:)` (many spans, few calls) returns exactly what reading each span alone does.
@Suite struct EventLogSpanReadTests {
    @Test func manySpansReadTogetherMatchSpansReadAlone() async throws {
        let directory = TemporaryDirectory()
        let log = try EventLog(directory: directory.path + "/log", segmentBytes: 8192)
        try log.openForAppend(at: 0)
        let frame = AlignedBuffer()
        var payloadStarts: [Int64] = []
        for n in 0..<12 {
            let position = log.endPosition
            try EventLogTests.appendFrame((0..<600).map { UInt8(truncatingIfNeeded: $0 * 7 + n * 31) }, to: log, using: frame)
            payloadStarts.append(position + Int64(LogFormat.headerSize))
        }
        typealias Span = EventLog.ByteSpan
        // Per frame: adjacent spans, small gaps (read through), an empty span, a gap too big to
        // read through; frames are a block apart and two share a segment.
        var inOrder: [Span] = []
        for start in payloadStarts {
            inOrder += [Span(position: start, first: 10, second: 20), Span(position: start + 30, first: 5, second: 0),
                        Span(position: start + 100, first: 0, second: 0), Span(position: start + 100, first: 50, second: 50),
                        Span(position: start + 590, first: 4, second: 6)]
        }
        let cases = [inOrder, inOrder.reversed(), Array(inOrder.prefix(7)) + Array(inOrder.prefix(7)), [], [inOrder[3]]]
        for spans in cases {
            let alone = try spans.map { span in try log.read(position: span.position, lengths: span.first, span.second) }
            let together = try log.read(spans)
            #expect(together.map(\.0) == alone.map(\.0))
            #expect(together.map(\.1) == alone.map(\.1))
        }
        log.close()
    }
}

@Suite struct LegacyRowTests {
    /// Data directories from before the event log hold the bytes in the row itself.
    @Test func rowsWithBytesInSQLiteStillRead() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        await store.close()
        let event = Sample.event(1)
        let queue = try DatabaseQueue(path: directory.path + "/mwrasp.sqlite")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO events (id, timestamp, received_at, source, kind, title, document, original)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [event.id.rawValue, event.timestamp, event.receivedAt, event.source.rawValue,
                                 event.kind.rawValue, event.title, Data(event.document), Data(event.original)])
        }
        try queue.close()
        let reopened = try Sample.store(directory)
        let stored = try #require(try await reopened.event(id: event.id))
        #expect(stored.event.document == event.document)
        #expect(stored.event.original == event.original)
        // New appends continue after the legacy row.
        let next = Sample.event(2)
        try await reopened.append([next])
        #expect(try await reopened.event(id: next.id)?.event == next)
        #expect(try await reopened.events(afterSequence: 0, limit: 10).map(\.event.id) == [event.id, next.id])
        await reopened.close()
    }
}

@Suite struct XXH64Tests {
    @Test func matchesTheReferenceValues() {
        // Test vectors of the reference implementation (seed 0).
        func hash(_ text: String) -> UInt64 { Array(text.utf8).withUnsafeBytes { XXH64.hash($0) } }
        #expect(hash("") == 0xEF46_DB37_51D8_E999)
        #expect(hash("a") == 0xD24E_C4F1_A98C_6E5B)
        #expect(hash("abc") == 0x44BC_2CF5_AD77_0999)
        #expect(hash("message digest") == 0x066E_D728_FCEE_B3BE)
        #expect(hash("abcdefghijklmnopqrstuvwxyz") == 0xCFE1_F278_FA89_835C)
        #expect(hash("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == 0xAAA4_6907_D304_7814)
        #expect(hash(String(repeating: "1234567890", count: 8)) == 0xE04A_477F_19EE_145D)
    }
}

@Suite struct IndexerApplyTests {
    /// Of several frames touching one alert, the last state wins (one upsert, not one per frame).
    @Test func theLastStateOfAnAlertAcrossFramesIsWhatIsStored() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let event = Sample.event(1)
        func alert(_ count: Int) -> AlertRecord {
            AlertRecord(id: 7, fingerprint: "fp", firstEventID: event.id, lastEventID: event.id, count: count,
                        firstSeen: 1, lastSeen: Int64(count), severity: .high, status: nil, title: "t", source: .generic)
        }
        let frames = [IndexBatch(alerts: [alert(1)], endPosition: 4096), IndexBatch(alerts: [alert(5)], endPosition: 8192),
                      IndexBatch(alerts: [alert(3)], endPosition: 12288)]
        try await store.poolForTesting.write { db in try Indexer.apply(frames, through: 12288, db: db) }
        #expect(try await store.alert(id: 7)?.count == 3)
        let checkpoint = try await store.checkpoint(Indexer.checkpointName)
        #expect(checkpoint == 12288)
        await store.close()
    }
}
