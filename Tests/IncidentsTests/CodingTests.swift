import Foundation
import MWRASPCore
import Testing
@testable import Incidents

@Suite struct CodingTests {
    @Test func rfc3339_formatsAndParses() {
        #expect(RFC3339.format(t0) == "2024-05-17T13:45:22.123Z")
        #expect(RFC3339.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(-1) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.parse("2024-05-17T13:45:22.123Z") == t0)
        #expect(RFC3339.parse("2024-05-17T15:45:22.123+02:00") == t0)
        #expect(RFC3339.parse("2024-05-17T13:45:22.1234567Z") == t0)
        #expect(RFC3339.parse("2024-05-17T13:45:22Z") == t0 - 123)
        #expect(RFC3339.parse("2024-05-17T13:45:22.1Z") == t0 - 23)
        #expect(RFC3339.parse("2024-05-17 13:45") == nil)
        #expect(RFC3339.parse("2024-13-17T13:45:22Z") == nil)
        #expect(RFC3339.parse("2024-05-17T13:45:22.Z") == nil)
        for ms: Int64 in [0, 951_782_400_000, 4_102_444_800_000, t0] { #expect(RFC3339.parse(RFC3339.format(ms)) == ms) }
    }

    @Test func incidentJSON_isSnakeCaseWithRFC3339Timestamps() throws {
        let (book, id) = bookWithIncident(severity: .critical)
        _ = try book.apply(IncidentPatch(phase: .containment, assignee: "alice"), to: id, now: t0 + 10 * second)
        let incident = try #require(book.incident(id: id))
        let data = try JSONEncoder().encode(incident)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["id"] as? String == id)
        #expect((object["id"] as? String)?.hasPrefix("inc_") == true)
        #expect((object["id"] as? String)?.count == 30)
        #expect(object["severity"] as? String == "critical")
        #expect(object["status"] as? String == "open")
        #expect(object["phase"] as? String == "containment")
        #expect(object["opened_at"] as? String == "2024-05-17T13:45:22.123Z")
        #expect(object["assignee"] as? String == "alice")
        #expect(object["type"] as? String == "sigma")
        #expect(object["finding_count"] as? Int == 1)
        for key in ["detector_id", "detector_ids", "phase_history", "entities", "findings", "detection_ids", "response_timers",
                    "sla_breaches", "milestones", "timeline_count", "occurrence_count", "updated_at", "acknowledged_at"] {
            #expect(object[key] != nil, "\(key)")
        }
        let history = try #require(object["phase_history"] as? [[String: Any]])
        #expect(history.last?["entered_at"] as? String == "2024-05-17T13:45:32.123Z")
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect((finding["entities"] as? [String: Any])?["source_ip"] as? String == "10.0.0.1")
        #expect(finding["event_time"] as? String == "2024-05-17T13:45:22.123Z")
        let timer = try #require((object["response_timers"] as? [[String: Any]])?.first)
        #expect(timer["milestone"] as? String == "first_automated_action")
        #expect(timer["deadline"] as? String == "2024-05-17T13:45:22.223Z")
        #expect((object["entities"] as? [String: Any])?["source_ips"] as? [String] == ["10.0.0.1"])
        // No camelCase anywhere.
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("At\""))
        #expect(!text.contains("IP"))

        let decoded = try JSONDecoder().decode(Incident.self, from: data)
        #expect(decoded == incident)
    }

    @Test func timelineEntryJSON() throws {
        let entry = TimelineEntry(incidentID: "inc_X", sequence: 3, time: t0, kind: .slaBreach, summary: "late", refs: ["containment"])
        let data = try JSONEncoder().encode(entry)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["incident_id"] as? String == "inc_X")
        #expect(object["sequence"] as? Int == 3)
        #expect(object["time"] as? String == "2024-05-17T13:45:22.123Z")
        #expect(object["kind"] as? String == "sla_breach")
        #expect(object["refs"] as? [String] == ["containment"])
        #expect(try JSONDecoder().decode(TimelineEntry.self, from: data) == entry)
    }

    @Test func incidentIDs_areMonotonic_evenWithinOneMillisecond() {
        var generator = IncidentIDGenerator(seed: 1)
        let ids = (0..<100).map { _ in generator.next(milliseconds: t0) } + [generator.next(milliseconds: t0 - 5)]
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("inc_") && $0.count == 30 })
        // The time part reads back like an EventID's.
        #expect(EventID(rawValue: String(ids[0].dropFirst(4)))?.milliseconds == t0)
        var restarted = IncidentIDGenerator(seed: 1)
        restarted.observe(ids.last!)
        #expect(restarted.next(milliseconds: t0) > ids.last!)
    }
}
