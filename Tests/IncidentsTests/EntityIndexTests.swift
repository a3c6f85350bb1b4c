import MWRASPCore
import Testing
@testable import Incidents

@Suite struct EntityIndexTests {
    @Test func idleIncidentsLeaveTheIndex() {
        // Window 5 min + lateness 5 min: an incident stays 10 min after its last finding arrived.
        let book = book()
        _ = book.correlate(detection(source: "10.0.0.1", host: "ws-1"), now: t0)
        _ = book.correlate(detection(source: "10.0.0.2", user: "bob"), now: t0 + minute)
        #expect(book.indexSize.incidents == 2)
        #expect(book.indexSize.keys == 4)
        _ = book.tick(now: t0 + 10 * minute)
        #expect(book.indexSize.incidents == 2, "exactly at the retention: kept")
        _ = book.tick(now: t0 + 10 * minute + 1)
        #expect(book.indexSize.incidents == 1)
        #expect(book.indexSize.keys == 2)
        _ = book.tick(now: t0 + 11 * minute + 1)
        #expect(book.indexSize == (0, 0))
    }

    @Test func aLateFindingPastTheRetention_opensANewIncident() {
        let book = book()
        let first = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0)
        // Event time within ±5 min, but it arrives 11 minutes later: the incident left the index.
        let late = book.correlate(detection(source: "10.0.0.1", at: t0 + minute), now: t0 + 11 * minute)
        #expect(late.kind == .created)
        #expect(late.incident.id != first.incident.id)
        // Within the lateness allowance it still joins.
        let again = book.correlate(detection(source: "10.0.0.1", at: t0 + 5 * minute), now: t0 + 12 * minute)
        #expect(again.incident.id == late.incident.id)
    }

    @Test func joiningKeepsAnIncidentIndexed() {
        let book = book()
        let first = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0)
        var last = first
        for step in 1...6 {
            last = book.correlate(detection(source: "10.0.0.1", at: t0 + Int64(step) * 4 * minute), now: t0 + Int64(step) * 4 * minute)
        }
        #expect(last.incident.id == first.incident.id)
        #expect(last.incident.findingCount == 7)
        #expect(book.indexSize.incidents == 1)
    }

    @Test func resolvedAndClosedIncidentsLeaveTheIndexAtOnce() throws {
        let book = book()
        let a = book.correlate(detection(source: "10.0.0.1"), now: t0)
        let b = book.correlate(detection(source: "10.0.0.2"), now: t0)
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: a.incident.id, now: t0 + second)
        _ = try book.apply(IncidentPatch(disposition: .falsePositive), to: b.incident.id, now: t0 + second)
        #expect(book.indexSize == (0, 0))
    }

    @Test func manyIncidents_onlyTheLiveOnesAreIndexed() {
        let book = book()
        for index in 0..<1_000 {
            let now = t0 + Int64(index) * second
            _ = book.correlate(detection(source: "10.1.\(index / 250).\(index % 250)", at: now), now: now)
        }
        // The last 10 min + 1 ms (601 s) of arrivals at one per second.
        #expect(book.indexSize.incidents == 601)
        #expect(book.list(IncidentQuery(limit: 1000)).items.count == 1_000)
    }
}
