import MWRASPCore
import Testing
@testable import Storage

@Suite struct QueryTests {
    @Test func filtersAreAnded() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = [
            Sample.event(1, kind: .alert, source: .elastic, sourceIP: "1.1.1.1", hostName: "a", dataset: "d1"),
            Sample.event(2, kind: .telemetry, source: .elastic, sourceIP: "1.1.1.1", hostName: "b", dataset: "d1"),
            Sample.event(3, kind: .alert, source: .splunk, sourceIP: "2.2.2.2", hostName: "a", userName: "root",
                         destinationIP: "9.9.9.9", dataset: "d2"),
        ]
        try await store.append(events)
        func ids(_ query: EventQuery) async throws -> [EventID] { try await store.events(query).items.map(\.event.id) }
        #expect(try await ids(EventQuery(sourceIP: "1.1.1.1")) == [events[1].id, events[0].id])
        #expect(try await ids(EventQuery(sourceIP: "1.1.1.1", kind: .alert)) == [events[0].id])
        #expect(try await ids(EventQuery(hostName: "a")) == [events[2].id, events[0].id])
        #expect(try await ids(EventQuery(userName: "root")) == [events[2].id])
        #expect(try await ids(EventQuery(destinationIP: "9.9.9.9")) == [events[2].id])
        #expect(try await ids(EventQuery(dataset: "d1", source: .elastic)) == [events[1].id, events[0].id])
        #expect(try await ids(EventQuery(source: .pagerduty)) == [])
        #expect(try await store.events(EventQuery(source: .splunk)).items.first?.event == events[2])
        await store.close()
    }

    @Test func timeRangeIsHalfOpen() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = (0..<5).map { Sample.event($0, timestamp: 1_000 * Int64($0)) }
        try await store.append(events)
        let page = try await store.events(EventQuery(from: 1_000, to: 3_000))
        #expect(page.items.map(\.event.timestamp) == [2_000, 1_000])
        #expect(page.nextCursor == nil)
        await store.close()
    }

    @Test func paginationHasNoGapsOrDuplicates() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = (0..<237).map { Sample.event($0) }
        try await store.append(Array(events[..<100]))
        try await store.append(Array(events[100...]))
        var seen: [EventID] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await store.events(EventQuery(limit: 50, cursor: cursor))
            seen += page.items.map(\.event.id)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 100
        #expect(pages == 5)
        #expect(seen == events.map(\.id).sorted(by: >))
        await store.close()
    }

    @Test func exactMultipleOfTheLimitEndsWithoutCursor() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        try await store.append((0..<10).map { Sample.event($0) })
        let first = try await store.events(EventQuery(limit: 5))
        let second = try await store.events(EventQuery(limit: 5, cursor: first.nextCursor))
        #expect(first.items.count == 5 && second.items.count == 5)
        #expect(second.nextCursor == nil)
        await store.close()
    }

    @Test func limitIsClamped() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        try await store.append((0..<3).map { Sample.event($0) })
        #expect(try await store.events(EventQuery(limit: 0)).items.count == 1)
        #expect(try await store.events(EventQuery(limit: 5_000)).items.count == 3)
        await store.close()
    }

    @Test(arguments: ["", "garbage", "!!!", "ZTE6bm90LWFuLWlk", String(repeating: "A", count: 100)])
    func invalidCursorIsRejected(_ cursor: String) async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        await #expect(throws: StoreError.invalidCursor(cursor)) {
            try await store.events(EventQuery(cursor: cursor))
        }
        await store.close()
    }

    @Test func cursorRoundTrips() throws {
        let id = EventID(milliseconds: Sample.base)
        #expect(try EventCursor.decode(EventCursor.encode(id)) == id)
    }
}
