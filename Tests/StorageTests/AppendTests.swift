import Foundation
import GRDB
import MWRASPCore
import Testing
@testable import Storage

@Suite struct AppendTests {
    @Test func migratesAFreshDirectory() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/mwrasp.sqlite"))
        #expect(try await store.eventCount() == 0)
        #expect(await store.isHealthy())
        await store.close()
        let queue = try DatabaseQueue(path: directory.path + "/mwrasp.sqlite")
        let applied = try await queue.read { db in try StoreSchema.migrator.appliedMigrations(db) }
        #expect(applied == ["v1", "v2-detections", "v3-event-log", "v4-alerts-by-fingerprint"])
        #expect(FileManager.default.fileExists(atPath: directory.path + "/log"))
        let tables = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(Set(tables).isSuperset(of: [
            "alerts", "events", "idempotency", "tokens", "detections", "incidents", "incident_timeline", "managed_records", "checkpoints",
        ]))
        try queue.close()
    }

    @Test func writerConnectionIsDurable() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let (mode, synchronous) = try store.writerPragmas()
        #expect(mode == "wal")
        #expect(synchronous == 2)  // FULL
        await store.close()
    }

    @Test func appendReadsBackEveryField() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        var event = Sample.event(7, kind: .telemetry, source: .splunk, externalID: "sid-7", severity: .critical,
                                 status: "firing")
        event.document = Array(repeating: 0x41, count: 700) + [0xC3, 0xA9]
        event.original = (0..<600).map { UInt8($0 % 256) }
        let bare = Event(id: EventID(milliseconds: Sample.base), timestamp: Sample.base, receivedAt: Sample.base + 1,
                         source: .hec, kind: .event, document: [], original: [])
        let outcome = try await store.append([event, bare])
        #expect(outcome == .stored(stored: 2, skippedDuplicates: 0))
        #expect(try await store.event(id: event.id) == StoredEvent(event: event, alertID: nil))
        #expect(try await store.event(id: bare.id) == StoredEvent(event: bare, alertID: nil))
        #expect(try await store.event(id: EventID(milliseconds: 1)) == nil)
        #expect(try await store.eventCount() == 2)
        await store.close()
    }

    @Test func concurrentAppendsShareTransactions() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let before = store.committedBatches
        try await withThrowingTaskGroup(of: AppendOutcome.self) { group in
            for n in 0..<200 {
                group.addTask { try await store.append([Sample.event(n)]) }
            }
            for try await outcome in group { #expect(outcome == .stored(stored: 1, skippedDuplicates: 0)) }
        }
        let batches = store.committedBatches - before
        #expect(batches >= 1)
        #expect(batches < 100, "200 concurrent appends took \(batches) transactions")
        #expect(try await store.eventCount() == 200)
        await store.close()
    }

    @Test func batchCapSplitsTransactions() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.maxBatchEvents = 10 }
        store.pauseWriter()
        let tasks = (0..<5).map { b in
            Task { try await store.append((0..<10).map { Sample.event(b * 10 + $0) }) }
        }
        try await store.waitForPendingAppends(5)
        store.resumeWriter()
        for task in tasks { #expect(try await task.value == .stored(stored: 10, skippedDuplicates: 0)) }
        #expect(store.committedBatches == 5)
        await store.close()
    }

    @Test func overloadedWhenTheQueueIsFull() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.maxQueuedEvents = 10 }
        store.pauseWriter()
        let first = Task { try await store.append((0..<8).map { Sample.event($0) }) }
        // Wait until the first request is queued.
        try await store.waitForPendingAppends(1)
        await #expect(throws: StoreError.overloaded(retryAfterSeconds: 1)) {
            try await store.append((8..<11).map { Sample.event($0) })
        }
        store.resumeWriter()
        #expect(try await first.value == .stored(stored: 8, skippedDuplicates: 0))
        // An event counts against the cap until it is indexed (the bound on the indexer's lag);
        // a read returns once it is.
        _ = try await store.eventCount()
        // Drained: the same request now fits.
        #expect(try await store.append((8..<11).map { Sample.event($0) }) == .stored(stored: 3, skippedDuplicates: 0))
        await store.close()
    }

    @Test func byteCapAlsoRefuses() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.maxQueuedBytes = 2_000 }
        store.pauseWriter()
        var big = Sample.event(1)
        big.document = Array(repeating: 0x20, count: 1_500)
        let first = Task { try await store.append([big]) }
        try await store.waitForPendingAppends(1)
        var second = Sample.event(2)
        second.original = Array(repeating: 0x20, count: 1_000)
        await #expect(throws: StoreError.self) { try await store.append([second]) }
        store.resumeWriter()
        _ = try await first.value
        await store.close()
    }

    @Test func externalIDDuplicatesAreSkippedWithinAndAcrossBatches() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let first = try await store.append([
            Sample.event(1, source: .pagerduty, externalID: "k1"),
            Sample.event(2, source: .pagerduty, externalID: "k1"),  // same batch
            Sample.event(3, source: .splunk, externalID: "k1"),  // other source: distinct
            Sample.event(4),  // no external id
            Sample.event(5),
        ])
        #expect(first == .stored(stored: 4, skippedDuplicates: 1))
        let second = try await store.append([
            Sample.event(6, source: .pagerduty, externalID: "k1"),  // earlier batch
            Sample.event(7, source: .pagerduty, externalID: "k2"),
        ])
        #expect(second == .stored(stored: 1, skippedDuplicates: 1))
        #expect(try await store.eventCount() == 5)
        await store.close()
    }

    /// A single event with a sender id: a retry stores nothing and learns the first event's id,
    /// whether the first is still only in the log (pending) or in SQLite (after a reopen); no
    /// idempotency key is written for it.
    @Test func anIdentifiedEventsRetryIsAnsweredWithTheFirstEventsID() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let first = Sample.event(1, externalID: "sender-1")
        #expect(try await store.appendIdentified(first, fingerprint: nil) == .stored(stored: 1, skippedDuplicates: 0))
        let retry = Sample.event(2, externalID: "sender-1")
        #expect(try await store.appendIdentified(retry, fingerprint: nil) == .duplicate(of: first.id))
        #expect(try await store.appendIdentified(first, fingerprint: nil) == .duplicate(of: first.id))
        #expect(try await store.eventCount() == 1)
        await store.close()

        let reopened = try Sample.store(directory)
        #expect(try await reopened.appendIdentified(Sample.event(3, externalID: "sender-1"), fingerprint: nil) == .duplicate(of: first.id))
        // Another source's sender id of the same text is another event.
        let other = Sample.event(4, source: .pagerduty, externalID: "sender-1")
        #expect(try await reopened.appendIdentified(other, fingerprint: nil) == .stored(stored: 1, skippedDuplicates: 0))
        let keys = try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM idempotency") }
        #expect(keys == 0)
        await reopened.close()
    }

    @Test func sameEventTwiceIsStoredOnce() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let event = Sample.event(1)
        #expect(try await store.append([event]) == .stored(stored: 1, skippedDuplicates: 0))
        #expect(try await store.append([event]) == .stored(stored: 0, skippedDuplicates: 1))
        await store.close()
    }

    @Test func idempotencyKeyReplaysTheFirstAnswer() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let answer = StoredAnswer(status: 202, contentType: "application/json", body: Array("{\"accepted\":2}".utf8))
        let events = [Sample.event(1), Sample.event(2)]
        let first = try await store.append(events, fingerprints: [nil, nil], idempotencyKey: "key-1", answer: answer)
        #expect(first == .stored(stored: 2, skippedDuplicates: 0))
        let other = StoredAnswer(status: 202, contentType: "text/plain", body: [1])
        let retry = try await store.append([Sample.event(3), Sample.event(4)], fingerprints: [nil, nil],
                                           idempotencyKey: "key-1", answer: other)
        #expect(retry == .replayed(answer))
        #expect(try await store.eventCount() == 2)
        await store.close()
        // The key survives a restart.
        let reopened = try Sample.store(directory)
        let again = try await reopened.append([Sample.event(5)], fingerprints: [nil], idempotencyKey: "key-1", answer: nil)
        #expect(again == .replayed(answer))
        #expect(try await reopened.eventCount() == 2)
        await reopened.close()
    }

    @Test func sameKeyInOneBatchReplays() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        store.pauseWriter()
        let answer = StoredAnswer(status: 202, contentType: "application/json", body: [1, 2])
        let first = Task { try await store.append([Sample.event(1)], fingerprints: [nil], idempotencyKey: "k", answer: answer) }
        try await store.waitForPendingAppends(1)
        let second = Task { try await store.append([Sample.event(2)], fingerprints: [nil], idempotencyKey: "k", answer: nil) }
        try await store.waitForPendingAppends(2)
        store.resumeWriter()
        #expect(try await first.value == .stored(stored: 1, skippedDuplicates: 0))
        #expect(try await second.value == .replayed(answer))
        #expect(store.committedBatches == 1)
        #expect(try await store.eventCount() == 1)
        await store.close()
    }

    @Test func appendAfterCloseFails() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        await store.close()
        await #expect(throws: StoreError.closed) { try await store.append([Sample.event(1)]) }
        await #expect(throws: StoreError.closed) { try await store.eventCount() }
        #expect(await store.isHealthy() == false)
        await store.close()  // twice is harmless
    }
}

extension SQLiteStore {
    /// The writer connection's journal mode and synchronous level.
    func writerPragmas() throws -> (String, Int) {
        try poolForTesting.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }
}

@Suite struct IdempotencyRetentionTests {
    @Test func expiredKeysArePurged() async throws {
        let directory = TemporaryDirectory()
        // A retention in the past makes every key expired at the first purge (run on the first batch).
        let store = try Sample.store(directory) { $0.idempotencyRetentionMilliseconds = -3_600_000 }
        let answer = StoredAnswer(status: 202, contentType: "application/json", body: [1])
        let first = try await store.append([Sample.event(1)], fingerprints: [nil], idempotencyKey: "k", answer: answer)
        #expect(first == .stored(stored: 1, skippedDuplicates: 0))
        _ = try await store.eventCount()  // waits until the first is indexed (and the key purged)
        let second = try await store.append([Sample.event(2)], fingerprints: [nil], idempotencyKey: "k", answer: answer)
        #expect(second == .stored(stored: 1, skippedDuplicates: 0))
        await store.close()
    }
}
