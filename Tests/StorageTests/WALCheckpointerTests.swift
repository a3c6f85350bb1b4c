import Foundation
import MWRASPCore
import Testing
@testable import Storage

/// The WAL reaches the database file from the background connection, not only from the
/// writer's automatic checkpoint (which 2,000 events do not trigger: it waits for 16,384 pages).
@Suite struct WALCheckpointerTests {
    static func databaseFileSize(_ directory: borrowing TemporaryDirectory) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory.path + "/mwrasp.sqlite")
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func appendIndexed(_ store: SQLiteStore, count: Int) async throws {
        for start in stride(from: 0, to: count, by: 500) {
            try await store.append((start..<start + 500).map { Sample.event($0) })
        }
        #expect(try await store.eventCount() == count)
    }

    @Test func oneCheckpointCopiesEveryCommittedFrame() async throws {
        let directory = TemporaryDirectory()
        // The timer stays out of the way; the test checkpoints by hand.
        let store = try Sample.store(directory) { $0.walCheckpointMilliseconds = 3_600_000 }
        try await Self.appendIndexed(store, count: 2_000)
        let checkpointer = try #require(store.walCheckpointerForTesting)
        let result = try checkpointer.checkpoint()
        #expect(result.walFrames > 0)
        #expect(result.checkpointed == result.walFrames)
        #expect(try await store.eventCount() == 2_000)
        await store.close()
    }

    @Test func theTimerCopiesTheWALIntoTheDatabaseFile() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.walCheckpointMilliseconds = 20 }
        // The schema's pages first, so that what grows the file afterwards is the events.
        try #require(store.walCheckpointerForTesting).checkpoint()
        let before = Self.databaseFileSize(directory)
        try await Self.appendIndexed(store, count: 2_000)
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.databaseFileSize(directory) <= before, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(Self.databaseFileSize(directory) > before)
        await store.close()
    }

    @Test func switchedOffLeavesTheDatabaseFileAlone() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.walCheckpointMilliseconds = 0 }
        #expect(store.walCheckpointerForTesting == nil)
        let before = Self.databaseFileSize(directory)
        try await Self.appendIndexed(store, count: 2_000)
        try await Task.sleep(for: .milliseconds(200))
        #expect(Self.databaseFileSize(directory) == before)
        await store.close()
    }
}
