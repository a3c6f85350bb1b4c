import MWRASPCore
import Testing
@testable import Incidents

@Suite struct TimelineTests {
    @Test func timelineRecordsEverything_inOrder() throws {
        let book = book()
        let opened = book.correlate(detection("det_1", source: "10.0.0.1", at: t0, detectedAfter: 40, severity: .critical), now: t0 + 40)
        let id = opened.incident.id
        _ = try book.recordAction("isolated segment 10.0.0.0/24", for: id, automated: true, refs: ["firewall"], at: t0 + 90)
        _ = book.correlate(detection("det_2", source: "10.0.0.1", at: t0 + second, detectedAfter: 20), now: t0 + second + 20)
        _ = try book.apply(IncidentPatch(assignee: "alice", actor: "soc-lead"), to: id, now: t0 + 10 * second)
        _ = try book.apply(IncidentPatch(phase: .containment), to: id, now: t0 + 20 * second)
        _ = book.tick(now: t0 + 6 * minute)
        _ = try book.apply(IncidentPatch(disposition: .truePositive), to: id, now: t0 + 7 * minute)

        let timeline = try #require(book.timeline(id: id))
        #expect(timeline.map(\.kind) == [
            .event, .opened, .detection, .action, .milestone, .event, .detection,
            .assignment, .transition, .slaBreach, .disposition,
        ])
        #expect(timeline == timeline.sorted(by: TimelineEntry.chronological))
        #expect(Set(timeline.map(\.sequence)).count == timeline.count)
        #expect(timeline.map(\.sequence).max() == book.incident(id: id)?.timelineCount)
        #expect(timeline.allSatisfy { $0.incidentID == id })
        let detection = try #require(timeline.first { $0.kind == .detection && $0.refs.contains("det_2") })
        #expect(detection.summary.contains("correlated with score 0.75 on source.ip"))
    }

    @Test func everyUpdateCarriesOnlyItsNewEntries() throws {
        let (book, id) = bookWithIncident()
        let count = try #require(book.timeline(id: id)?.count)
        let update = try book.apply(IncidentPatch(phase: .containment, assignee: "bob"), to: id, now: t0 + 5 * second)
        #expect(update.entries.map(\.kind) == [.assignment, .transition])
        #expect(update.entries.map(\.sequence) == [count + 1, count + 2])
        #expect(book.timeline(id: id)?.count == count + 2)
    }
}
