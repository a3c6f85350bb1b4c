import Foundation
import GRDB
import MWRASPCore
import Testing
@testable import Storage

@Suite struct DurabilityTests {
    @Test func everyAcknowledgedAppendSurvivesReopen() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let acknowledged = try await withThrowingTaskGroup(of: [EventID].self) { group in
            for task in 0..<32 {
                group.addTask {
                    var ids: [EventID] = []
                    for round in 0..<10 {
                        let events = (0..<5).map { Sample.event(task * 1_000 + round * 10 + $0) }
                        _ = try await store.append(events)
                        ids += events.map(\.id)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: [EventID]()) { $0 += $1 }
        }
        await store.close()
        let reopened = try Sample.store(directory)
        #expect(try await reopened.eventCount() == acknowledged.count)
        for id in acknowledged.shuffled().prefix(100) {
            #expect(try await reopened.event(id: id) != nil)
        }
        await reopened.close()
    }

    @Test func acknowledgedAppendsAreInTheLogWithoutClose() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        store.pauseIndexerForTesting()
        let events = (0..<50).map { Sample.event($0) }
        try await store.append(events)
        // The answer came before SQLite has them: an independent reader of the log (as after
        // a crash) finds every one.
        let log = try EventLog(directory: directory.path + "/log")
        var found: [EventID] = []
        _ = try log.scan(from: 0) { payload, position throws(StoreError) in
            var decoder = LogEntryDecoder(payload: payload, payloadPosition: position)
            while !decoder.isAtEnd {
                if case .event(let logged) = try decoder.next() { found.append(logged.event.id) }
            }
        }
        #expect(found == events.map(\.id))
        log.close()
        store.resumeIndexerForTesting()
        await store.close()
    }

    @Test func closeFlushesQueuedAppends() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        store.pauseWriter()
        let pending = (0..<10).map { n in Task { try await store.append([Sample.event(n)]) } }
        try await store.waitForPendingAppends(10)
        await store.close()  // releases the writer and waits
        for task in pending { #expect(try await task.value == .stored(stored: 1, skippedDuplicates: 0)) }
        let reopened = try Sample.store(directory)
        #expect(try await reopened.eventCount() == 10)
        await reopened.close()
    }

    @Test func backupOpensAndHoldsTheEvents() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = (0..<20).map { Sample.event($0) }
        try await store.append(events)
        let target = TemporaryDirectory()
        try await store.backup(to: target.path)
        await #expect(throws: StoreError.self) { try await store.backup(to: target.path) }  // never overwrites
        await store.close()

        let copy = try DatabaseQueue(path: target.path + "/mwrasp.sqlite")
        let count = try await copy.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") }
        #expect(count == 20)
        try copy.close()
        // A backup is a complete data directory: it opens as a store, bytes and all.
        let restored = try Sample.store(target)
        #expect(try await restored.event(id: events[3].id)?.event == events[3])
        await restored.close()
    }

    @Test func reopenKeepsEverything() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = (0..<30).map { Sample.event($0) }
        _ = try await store.append(events, fingerprints: events.map { _ in "fp" }, idempotencyKey: "k",
                               answer: StoredAnswer(status: 202, contentType: "application/json", body: [1]))
        try await store.insertToken(TokenRecord(id: "t", name: "n", role: .responder, secretHash: "h", createdAt: 1))
        let alerts = try await store.alerts(forFingerprint: "fp")
        await store.close()
        let reopened = try Sample.store(directory)
        #expect(try await reopened.eventCount() == 30)
        #expect(try await reopened.alerts(forFingerprint: "fp") == alerts)
        #expect(try await reopened.tokens().count == 1)
        #expect(try await reopened.events(EventQuery(limit: 1000)).items.map(\.event) == events.reversed())
        await reopened.close()
    }
}
