import MWRASPCore
import Testing
@testable import Incidents

/// Memory stays bounded on a long-running server: closed and dormant incidents leave the book
/// (their records live on in the store) and come back when a responder changes them.
@Suite struct EvictionTests {
    private func closedIncident(_ book: IncidentBook, at time: Int64) throws -> String {
        let id = book.correlate(detection(source: "10.0.0.9", at: time), now: time).incident.id
        _ = try book.apply(IncidentPatch(phase: .closed), to: id, now: time + second)
        return id
    }

    @Test func aClosedIncidentLeavesAfterItsRetentionAnOpenOneStays() throws {
        let book = book()
        let closed = try closedIncident(book, at: t0)
        let open = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0).incident.id
        _ = book.tick(now: t0 + 30 * minute)
        #expect(book.incident(id: closed) != nil)  // within the hour
        _ = book.tick(now: t0 + 2 * hour)
        #expect(book.incident(id: closed) == nil)
        #expect(book.timeline(id: closed) == nil)
        #expect(book.incident(id: open) != nil)
        #expect(book.count == 1)
    }

    @Test func anyIncidentLeavesAfterTheDormancyPeriod() throws {
        let book = book()
        let id = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0).incident.id
        // Past its last SLA deadline (lessons learned) nothing changes it any more.
        _ = book.tick(now: t0 + 6 * 24 * hour)
        _ = book.tick(now: t0 + 7 * 24 * hour + 12 * hour)
        let lastChange = try #require(book.incident(id: id)).updatedAt
        _ = book.tick(now: lastChange + 6 * 24 * hour)
        #expect(book.incident(id: id) != nil)
        _ = book.tick(now: lastChange + 8 * 24 * hour)
        #expect(book.incident(id: id) == nil)
        // A later finding with the same entities opens a new incident: the old one is gone.
        let later = book.correlate(detection(source: "10.0.0.1", at: lastChange + 8 * 24 * hour), now: lastChange + 8 * 24 * hour)
        #expect(later.kind == .created)
        #expect(later.incident.id != id)
    }

    @Test func anAdoptedIncidentCanBeChangedAgainWithItsTimelineIntact() throws {
        let book = book()
        let id = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0).incident.id
        _ = try book.apply(IncidentPatch(phase: .containment), to: id, now: t0 + second)
        _ = book.tick(now: t0 + 6 * 24 * hour)
        _ = book.tick(now: t0 + 7 * 24 * hour + 12 * hour)
        let stored = try #require(book.incident(id: id))
        let storedTimeline = try #require(book.timeline(id: id))
        let later = stored.updatedAt + 8 * 24 * hour
        _ = book.tick(now: later)
        #expect(throws: IncidentError.self) { try book.apply(IncidentPatch(phase: .eradication), to: id, now: later) }

        book.adopt(stored, timeline: storedTimeline)
        let update = try book.apply(IncidentPatch(phase: .eradication), to: id, now: later)
        #expect(update.incident.phase == .eradication)
        let timeline = try #require(book.timeline(id: id))
        #expect(timeline.count > storedTimeline.count)
        // Sequence numbers continue after the stored ones.
        let sequences = timeline.map { Int($0.sequence) }
        #expect(sequences == Array(1...timeline.count))
        let listed = book.list().items.map { $0.id }
        #expect(listed == [id])
    }
}
