import Foundation
import MWRASPCore
import Testing
@testable import Incidents

@Suite struct PostmortemTests {
    @Test func postmortem_fromTheRecord() throws {
        let book = book()
        let opened = book.correlate(detection(source: "10.0.0.1", host: "kms-01", at: t0 - 3 * second, detectedAfter: 3 * second,
                                              severity: .critical, detector: "QTD-001", type: .catalog), now: t0)
        let id = opened.incident.id
        _ = try book.recordAction("rotated keys", for: id, automated: true, at: t0 + 50)
        _ = try book.apply(IncidentPatch(phase: .containment, assignee: "alice"), to: id, now: t0 + 20 * second)
        _ = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + 8 * minute)     // containment late
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: id, now: t0 + 50 * minute)   // recovery skipped
        _ = try book.apply(IncidentPatch(disposition: .truePositive), to: id, now: t0 + 50 * minute)

        let report = try book.postmortem(id: id, now: t0 + 3 * hour)
        #expect(report.complete)
        #expect(report.timeToDetectMs == 3_000)
        #expect(report.timeToAcknowledgeMs == 20_000)
        #expect(report.timeToContainMs == 8 * minute)
        #expect(report.timeToRecoverMs == 50 * minute)
        #expect(report.slaBreaches.map(\.phase) == [.containment])
        #expect(report.phases.map(\.phase) == [.detection, .containment, .eradication, .recovery, .lessonsLearned])
        #expect(report.phases[1].durationMs == 8 * minute - 20 * second)
        #expect(report.phases[1].breached)
        #expect(report.phases[3].skipped)
        let codes = report.recommendations.map(\.code)
        #expect(codes.contains("sla_containment"))
        #expect(codes.contains("skipped_phases"))
        #expect(!codes.contains("no_owner"))
        #expect(!codes.contains("preliminary"))
        #expect(report.timeline == book.timeline(id: id))

        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["time_to_contain_ms"] as? Int == Int(8 * minute))
        #expect(object["generated_at"] as? String == RFC3339.format(t0 + 3 * hour))
        #expect(try JSONDecoder().decode(Postmortem.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func postmortem_ofAFalsePositive_recommendsTuning() throws {
        let (book, id) = bookWithIncident()
        _ = try book.apply(IncidentPatch(disposition: .falsePositive), to: id, now: t0 + 10 * second)
        let report = try book.postmortem(id: id, now: t0 + minute)
        #expect(report.recommendations.first?.code == "tune_detectors")
        #expect(report.timeToRecoverMs == t0 + 10 * second - t0)
        #expect(throws: IncidentError.notFound(id: "inc_x")) { try book.postmortem(id: "inc_x", now: t0) }
    }

    @Test func postmortem_ofACleanIncident() throws {
        let (book, id) = bookWithIncident(severity: .high)
        _ = try book.recordMilestone(.notification, for: id, at: t0 + 200)
        _ = try book.apply(IncidentPatch(phase: .containment, assignee: "bob", disposition: .truePositive), to: id, now: t0 + 10 * second)
        _ = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + 4 * minute)
        _ = try book.apply(IncidentPatch(phase: .recovery), to: id, now: t0 + 30 * minute)
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: id, now: t0 + 3 * hour)
        let report = try book.postmortem(id: id, now: t0 + 4 * hour)
        #expect(report.recommendations.map(\.code) == ["within_objectives"])
    }
}
