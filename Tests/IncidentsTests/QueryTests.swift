import MWRASPCore
import Testing
@testable import Incidents

@Suite struct QueryTests {
    @Test func list_newestFirst_withFiltersAndCursor() throws {
        let book = book()
        var ids: [String] = []
        let severities: [Severity] = [.low, .high, .critical, .high, .medium]
        for (index, severity) in severities.enumerated() {
            ids.append(book.correlate(detection(source: "10.0.0.\(index)", severity: severity), now: t0).incident.id)
        }
        _ = try book.apply(IncidentPatch(phase: .eradication), to: ids[3], now: t0 + second)

        let all = book.list()
        #expect(all.items.map(\.id) == ids.reversed())
        #expect(all.nextCursor == nil)

        let page1 = book.list(IncidentQuery(limit: 2))
        #expect(page1.items.map(\.id) == [ids[4], ids[3]])
        let page2 = book.list(IncidentQuery(limit: 2, cursor: page1.nextCursor))
        #expect(page2.items.map(\.id) == [ids[2], ids[1]])
        let page3 = book.list(IncidentQuery(limit: 2, cursor: page2.nextCursor))
        #expect(page3.items.map(\.id) == [ids[0]])
        #expect(page3.nextCursor == nil)

        #expect(book.list(IncidentQuery(severities: [.high])).items.map(\.id) == [ids[3], ids[1]])
        #expect(book.list(IncidentQuery(statuses: [.contained])).items.map(\.id) == [ids[3]])
        #expect(book.list(IncidentQuery(phases: [.detection], limit: 1)).nextCursor == ids[4])
        #expect(book.incident(id: ids[2])?.severity == .critical)
        #expect(book.incident(id: "inc_missing") == nil)
    }
}
