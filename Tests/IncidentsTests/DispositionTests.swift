import MWRASPCore
import Testing
@testable import Incidents

@Suite struct DispositionTests {
    @Test func falsePositive_closesTheIncident() throws {
        let (book, id) = bookWithIncident()
        let update = try book.apply(IncidentPatch(disposition: .falsePositive, actor: "alice", note: "scanner allow-listed"), to: id, now: t0 + 20 * second)
        #expect(update.incident.disposition == .falsePositive)
        #expect(update.incident.phase == .closed)
        #expect(update.incident.status == .closed)
        // The high objective (notification within 1 s) was already overdue when it closed.
        #expect(update.entries.map(\.kind) == [.disposition, .transition, .slaBreach])
        #expect(update.incident.responseTimers.first?.state == .breached)
        #expect(update.incident.acknowledgedAt == t0 + 20 * second)
        // Re-classifying later is allowed and does not reopen.
        let review = try book.apply(IncidentPatch(disposition: .truePositive), to: id, now: t0 + hour)
        #expect(review.incident.phase == .closed)
        #expect(review.incident.disposition == .truePositive)
    }

    @Test func benign_closes_truePositive_doesNot() throws {
        let (book, id) = bookWithIncident()
        let tp = try book.apply(IncidentPatch(disposition: .truePositive), to: id, now: t0 + second)
        #expect(tp.incident.phase == .detection)
        let benign = try book.apply(IncidentPatch(disposition: .benign), to: id, now: t0 + 2 * second)
        #expect(benign.incident.phase == .closed)
    }

    @Test func closedIncidentsTakeNoNewFindings() throws {
        let (book, id) = bookWithIncident()
        _ = try book.apply(IncidentPatch(disposition: .falsePositive), to: id, now: t0 + second)
        let next = book.correlate(detection(source: "10.0.0.1", at: t0 + 2 * second), now: t0 + 2 * second)
        #expect(next.kind == .created)
        #expect(next.incident.id != id)
    }

    @Test func falsePositiveRate_andTheOtherKPIs() throws {
        let book = book()
        var ids: [String] = []
        for index in 0..<4 {
            let update = book.correlate(detection(source: "10.0.0.\(index + 1)", at: t0 - 2 * second, detectedAfter: 2 * second), now: t0)
            ids.append(update.incident.id)
        }
        _ = try book.apply(IncidentPatch(disposition: .falsePositive), to: ids[0], now: t0 + 10 * second)
        _ = try book.apply(IncidentPatch(disposition: .truePositive), to: ids[1], now: t0 + 20 * second)
        _ = try book.apply(IncidentPatch(disposition: .benign), to: ids[2], now: t0 + 30 * second)
        _ = try book.apply(IncidentPatch(phase: .eradication), to: ids[1], now: t0 + 2 * minute)
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: ids[1], now: t0 + hour)

        let kpis = book.kpis()
        #expect(kpis.incidents == 4)
        #expect(kpis.dispositioned == 3)
        #expect(kpis.falsePositives == 1)
        #expect(kpis.falsePositiveRate == 1.0 / 3.0)
        #expect(kpis.meanTimeToDetect == 2_000)
        // Acknowledged at 10 s, 20 s, 30 s; the fourth never.
        #expect(kpis.meanTimeToAcknowledge == 20_000)
        // False positive and benign closures are no recoveries.
        #expect(kpis.meanTimeToContain == Double(2 * minute))
        #expect(kpis.meanTimeToRecover == Double(hour))
        #expect(kpis.open == 1)
        #expect(kpis.resolved == 1)
        #expect(kpis.closed == 2)
        #expect(book.kpis(openedFrom: t0 + 1).incidents == 0)
        #expect(IncidentKPIs([]).falsePositiveRate == nil)
    }
}
