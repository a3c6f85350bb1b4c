import Foundation
import MWRASPCore
import Testing
@testable import Storage

/// The in-memory tail the detection pipeline reads (`RecentEvents`), and the indexer's
/// gathering of frames that it makes possible.
@Suite struct RecentEventsTests {
    private static func sequenced(_ range: Range<Int64>) -> [SequencedEvent] {
        range.map { SequencedEvent(sequence: $0, event: Sample.event(Int($0))) }
    }

    @Test func readsAfterASequenceAndDropsWhatWasConsumed() {
        let recent = RecentEvents(capacityBytes: 1 << 20)
        #expect(recent.events(after: 0, limit: 10) == nil)  // knows nothing before the first append
        recent.append(Self.sequenced(1..<6))
        recent.append(Self.sequenced(6..<9))
        #expect(recent.events(after: 0, limit: 3)?.map(\.sequence) == [1, 2, 3])
        #expect(recent.events(after: 3, limit: 100)?.map(\.sequence) == [4, 5, 6, 7, 8])
        // Everything up to 3 was consumed by that read: asking before it goes to SQLite.
        #expect(recent.events(after: 2, limit: 10) == nil)
        #expect(recent.events(after: 8, limit: 10)?.isEmpty == true)  // caught up: nothing new, not unknown
        recent.append(Self.sequenced(9..<10))
        #expect(recent.events(after: 8, limit: 10)?.map(\.sequence) == [9])
    }

    /// Full, it keeps the oldest unread events and turns new ones away until those are read;
    /// the reader gets the turned-away ones from SQLite (nil), then memory again.
    @Test func keepsTheOldestUnreadWhenFullAndStartsAgainOnceRead() throws {
        let one = RecentEvents.cost(Self.sequenced(1..<2)[0])
        // Room for four (event 10's document is a byte longer than event 1's).
        let recent = RecentEvents(capacityBytes: one * 4 + 16)
        recent.append(Self.sequenced(1..<11))
        recent.append(Self.sequenced(11..<12))  // still full: turned away
        #expect(recent.events(after: 0, limit: 100)?.map(\.sequence) == [1, 2, 3, 4])
        #expect(recent.events(after: 4, limit: 100) == nil)  // 5...11 were turned away
        recent.append(Self.sequenced(12..<14))  // read empty: starts again here
        #expect(recent.events(after: 8, limit: 100) == nil)  // SQLite still, up to 11
        #expect(recent.events(after: 11, limit: 100)?.map(\.sequence) == [12, 13])
        #expect(recent.events(after: 13, limit: 100)?.isEmpty == true)
    }

    @Test func keepsWhatItHasWhenSequencesJumpAndStartsOverOnceRead() {
        let recent = RecentEvents(capacityBytes: 1 << 20)
        recent.append(Self.sequenced(1..<4))
        recent.append(Self.sequenced(10..<12))
        #expect(recent.events(after: 0, limit: 10)?.map(\.sequence) == [1, 2, 3])
        #expect(recent.events(after: 3, limit: 10) == nil)
        recent.append(Self.sequenced(12..<13))
        #expect(recent.events(after: 11, limit: 10)?.map(\.sequence) == [12])
    }

    /// A reader that went past the cache through SQLite is not served stale events.
    @Test func aReadPastTheCacheGoesToSQLiteUntilTheNextFrame() {
        let recent = RecentEvents(capacityBytes: 1 << 20)
        recent.append(Self.sequenced(1..<3))
        #expect(recent.events(after: 5, limit: 10) == nil)
        recent.append(Self.sequenced(6..<8))
        #expect(recent.events(after: 5, limit: 10)?.map(\.sequence) == [6, 7])
    }

    /// What the pipeline reads from memory is what it would read from SQLite: the reopened
    /// store has an empty cache and answers from the database.
    @Test func theStoreServesTheSameEventsFromMemoryAsFromSQLite() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = (0..<20).map { Sample.event($0, kind: $0 % 5 == 4 ? .event : .alert) }
        let fingerprints = events.enumerated().map { $0.element.kind == .alert ? "fp\($0.offset % 3)" : nil }
        _ = try await store.append(Array(events[0..<7]), fingerprints: Array(fingerprints[0..<7]), idempotencyKey: nil, answer: nil)
        _ = try await store.append(Array(events[7...]), fingerprints: Array(fingerprints[7...]), idempotencyKey: nil, answer: nil)
        let fromMemory = try #require(store.recentEvents.events(after: 0, limit: 100))
        await store.close()

        let reopened = try Sample.store(directory)
        #expect(reopened.recentEvents.events(after: 0, limit: 100) == nil)
        let fromSQLite = try await reopened.events(afterSequence: 0, limit: 100)
        await reopened.close()
        #expect(fromMemory.count == 20)
        #expect(fromMemory.map(\.sequence) == fromSQLite.map(\.sequence))
        #expect(fromMemory.map(\.event) == fromSQLite.map(\.event))
        #expect(fromMemory.map(\.alertID) == fromSQLite.map(\.alertID))
        #expect(fromMemory.map(\.isRepeat) == fromSQLite.map(\.isRepeat))
        // Repeats come without their bytes (counted, never judged); first sightings with them.
        #expect(fromMemory.filter(\.isRepeat).allSatisfy { $0.event.document.isEmpty && $0.event.original.isEmpty })
        #expect(fromMemory.filter { !$0.isRepeat }.allSatisfy { !$0.event.document.isEmpty })
        #expect(fromMemory.filter(\.isRepeat).count == 16 - 3)
    }

    /// The indexer waits to gather frames, but never makes a reader wait for it: with an
    /// hour-long gathering delay a read after an append still sees the append at once.
    @Test func aReaderDoesNotWaitForTheIndexersGatheringDelay() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.indexGatherMilliseconds = 3_600_000 }
        try await store.append([Sample.event(1)])
        // Without the bring-forward the read would give up after its 5 s cap and count 0.
        #expect(try await store.eventCount() == 1)
        try await store.append([Sample.event(2)])
        await store.close()  // a close applies what gathered
        let reopened = try Sample.store(directory)
        #expect(try await reopened.eventCount() == 2)
        await reopened.close()
    }
}
