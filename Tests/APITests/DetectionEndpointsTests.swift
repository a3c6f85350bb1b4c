import Synchronization
import API
import Foundation
import HTTPCore
import Pipeline
import Testing
import WebServer

@Suite struct DetectionEndpointsTests {
    static let encodedPowershellRule = """
        title: Encoded PowerShell
        id: 5b4f3c2a-1111-4222-8333-944455556666
        status: test
        level: high
        logsource:
            category: process_creation
            product: windows
        detection:
            selection:
                Image|endswith: '\\\\powershell.exe'
                CommandLine|contains: ' -enc '
            condition: selection
        """

    static func sysmonProcess(commandLine: String) -> String {
        #"""
        {"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,
         "Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws-17",
         "TimeCreated":{"#attributes":{"SystemTime":"2026-11-27T01:00:00.000Z"}}},
         "EventData":{"Image":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
          "CommandLine":\#(JSONEncoderString(commandLine)),"User":"CORP\\alice"}}}
        """#
    }

    static func JSONEncoderString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    func drain(_ harness: APITestHarness) async throws {
        try await harness.environment.detection!.pipeline.drain()
    }

    func items(_ response: Response) -> [[String: Any]] {
        response.jsonObject?["items"] as? [[String: Any]] ?? []
    }

    @Test func aRuleAddedOverTheAPIDetectsAndOpensAnIncident() async throws {
        let harness = try await APITestHarness(detection: DetectionSettings())
        let created = await harness.send(.post, "/v1/rules", token: harness.responderToken,
                                         headers: [("Content-Type", "application/yaml")], body: Array(Self.encodedPowershellRule.utf8))
        #expect(created.status.code == 201, "\(created.text)")
        let posted = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                                        json: Self.sysmonProcess(commandLine: "powershell.exe -nop -enc SQBFAFgA"))
        #expect(posted.status.code == 202)
        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                               json: Self.sysmonProcess(commandLine: "powershell.exe -File backup.ps1"))
        try await drain(harness)

        let detections = items(await harness.send(.get, "/v1/detections?type=sigma", token: harness.responderToken))
        #expect(detections.map { $0["detector_id"] as? String } == ["5b4f3c2a-1111-4222-8333-944455556666"])
        let incidentID = try #require(detections.first?["incident_id"] as? String)
        let incident = await harness.send(.get, "/v1/incidents/\(incidentID)", token: harness.responderToken)
        #expect(incident.status.code == 200)
        #expect((incident.jsonObject?["detector_ids"] as? [String])?.contains("5b4f3c2a-1111-4222-8333-944455556666") == true)
        #expect((incident.jsonObject?["entities"] as? [String: Any])?["hosts"] as? [String] == ["ws-17"])

        // Forward only: containment is fine, detection again is 409.
        let forward = await harness.send(.patch, "/v1/incidents/\(incidentID)", token: harness.responderToken,
                                         json: #"{"phase":"containment","assignee":"alice"}"#)
        #expect(forward.status.code == 200 && forward.jsonObject?["phase"] as? String == "containment")
        let backward = await harness.send(.patch, "/v1/incidents/\(incidentID)", token: harness.responderToken, json: #"{"phase":"detection"}"#)
        #expect(backward.status.code == 409)
        #expect(await harness.send(.patch, "/v1/incidents/\(incidentID)", token: harness.responderToken, json: #"{"phase":"sideways"}"#).status.code == 400)
        #expect(await harness.send(.patch, "/v1/incidents/inc_nope", token: harness.responderToken, json: #"{"phase":"closed"}"#).status.code == 404)
        let timeline = items(await harness.send(.get, "/v1/incidents/\(incidentID)/timeline", token: harness.responderToken))
        #expect(timeline.contains { $0["kind"] as? String == "transition" })
        #expect(timeline.contains { $0["kind"] as? String == "assignment" })
        let postmortem = await harness.send(.get, "/v1/incidents/\(incidentID)/postmortem", token: harness.responderToken)
        #expect(postmortem.status.code == 200 && postmortem.jsonObject?["incident_id"] as? String == incidentID)
        // Ingest tokens do not read incidents.
        #expect(await harness.send(.get, "/v1/incidents", token: harness.ingestToken).status.code == 403)

        #expect(await harness.send(.get, "/v1/rules/5b4f3c2a-1111-4222-8333-944455556666", token: harness.responderToken)
            .jsonObject?["yaml"] as? String == Self.encodedPowershellRule)
        #expect(await harness.send(.delete, "/v1/rules/5b4f3c2a-1111-4222-8333-944455556666", token: harness.responderToken).status.code == 204)
        #expect(await harness.send(.get, "/v1/rules/5b4f3c2a-1111-4222-8333-944455556666", token: harness.responderToken).status.code == 404)
    }

    @Test func anInvalidRuleIsRefusedWithWhereAndWhy() async throws {
        let harness = try await APITestHarness(detection: DetectionSettings())
        let yaml = Self.encodedPowershellRule.replacingOccurrences(of: "CommandLine|contains", with: "CommandLine|frobnicate")
        let refused = await harness.send(.post, "/v1/rules", token: harness.responderToken,
                                         headers: [("Content-Type", "application/yaml")], body: Array(yaml.utf8))
        #expect(refused.status.code == 422)
        let detail = refused.jsonObject?["detail"] as? String ?? ""
        #expect(detail.contains("detection.selection") && detail.contains("frobnicate"), "\(detail)")
        #expect(await harness.send(.post, "/v1/rules", token: harness.responderToken, body: Array("just: text".utf8)).status.code == 422)
        let summary = await harness.send(.get, "/v1/rules?summary", token: harness.responderToken)
        #expect(summary.status.code == 200 && summary.jsonObject?["loaded"] as? Int == 0)
    }

    @Test func iocListsMatchIngestedEvents() async throws {
        let harness = try await APITestHarness(detection: DetectionSettings())
        let list = #"{"id":"feed-1","name":"C2 feed","entries":[{"value":"203.0.113.66"},{"value":"evil.example","severity":"critical"},{"value":"198.51.100.0/24"}]}"#
        let created = await harness.send(.post, "/v1/iocs", token: harness.responderToken, json: list)
        #expect(created.status.code == 201, "\(created.text)")
        #expect(await harness.send(.post, "/v1/iocs", token: harness.responderToken, json: list).status.code == 409)
        let bad = await harness.send(.post, "/v1/iocs", token: harness.responderToken,
                                     json: #"{"name":"bad","entries":[{"value":"300.1.1.1","kind":"ip"}]}"#)
        #expect(bad.status.code == 400 && (bad.jsonObject?["detail"] as? String ?? "").contains("entries[0]"))

        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                               json: #"{"title":"outbound","severity":"low","src_ip":"10.1.1.1","dst_ip":"198.51.100.200","host":"web-1"}"#)
        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                               json: #"{"title":"quiet","severity":"low","src_ip":"10.1.1.1","dst_ip":"198.51.101.1","host":"web-1"}"#)
        try await drain(harness)
        let found = items(await harness.send(.get, "/v1/detections?type=ioc", token: harness.responderToken))
        #expect(found.count == 1)
        #expect(await harness.send(.get, "/v1/iocs/feed-1", token: harness.responderToken).status.code == 200)
        #expect(await harness.send(.delete, "/v1/iocs/feed-1", token: harness.responderToken).status.code == 204)
        #expect(await harness.send(.get, "/v1/iocs/feed-1", token: harness.responderToken).status.code == 404)
    }

    @Test func canaryHitByURLAndByAppearanceInAnEvent() async throws {
        let harness = try await APITestHarness(detection: DetectionSettings())
        let url = await harness.send(.post, "/v1/canaries", token: harness.responderToken, json: #"{"kind":"url","label":"finance share"}"#)
        #expect(url.status.code == 201)
        let token = try #require(url.jsonObject?["token"] as? String)
        let hit = await harness.send(.get, "/c/\(token)", headers: [("User-Agent", "curl/8.0")])
        let miss = await harness.send(.get, "/c/mwctaaaaaaaaaaaaaaaaaaaaaaaaaa")
        #expect(hit.status.code == 200 && miss.status.code == 200 && hit.body == miss.body)

        let key = await harness.send(.post, "/v1/canaries", token: harness.responderToken, json: #"{"kind":"api_key","label":"ci secret"}"#)
        let value = try #require(key.jsonObject?["value"] as? String)
        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                               json: #"{"title":"proxy log","host":"egress-1","raw":{"header":"Authorization: Bearer \#(value)"}}"#)
        try await drain(harness)
        let canaries = items(await harness.send(.get, "/v1/detections?type=canary", token: harness.responderToken))
        #expect(canaries.count == 2)
        #expect(canaries.allSatisfy { $0["severity"] as? String == "critical" })
        let listed = items(await harness.send(.get, "/v1/canaries", token: harness.responderToken))
        #expect(listed.map { $0["hit_count"] as? Int } == [1, 1])
        #expect(await harness.send(.post, "/v1/canaries", token: harness.responderToken, json: #"{"kind":"pigeon","label":"x"}"#).status.code == 400)
    }

    @Test func quantumTelemetryFiresOnlyWithAllThreeSignals() async throws {
        let harness = try await APITestHarness(detection: DetectionSettings())
        func telemetry(_ factorization: Bool) -> String {
            #"""
            {"event":{"kind":"telemetry","dataset":"mwrasp.quantum"},"host":{"name":"kms-01"},
             "quantum":{"signals":{"period_finding":true,"qft_signature":true,"factorization":\#(factorization)},
              "chsh":{"ab":[85,15,15,85],"ab_":[15,85,85,15],"a_b":[85,15,15,85],"a_b_":[85,15,15,85]},
              "chi_squared":{"observed":[80,20],"expected":[50,50]},"entanglement_witness":-0.08}}
            """#
        }
        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken, json: telemetry(false))
        try await drain(harness)
        #expect(items(await harness.send(.get, "/v1/detections?detector_id=QTD-001", token: harness.responderToken)).isEmpty)
        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken, json: telemetry(true))
        try await drain(harness)
        let fired = items(await harness.send(.get, "/v1/detections?detector_id=QTD-001", token: harness.responderToken))
        #expect(fired.count == 1)
        #expect(fired.first?["severity"] as? String == "critical")
        let catalog = await harness.send(.get, "/v1/catalog", token: harness.responderToken)
        #expect((catalog.jsonObject?["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.contains("QTD-001") == true)
    }

    @Test func siemAlertsAreFindingsAndJoinIncidentsBySharedEntities() async throws {
        let harness = try await APITestHarness(detection: DetectionSettings())
        let alert = #"{"title":"ET POLICY SSH brute force","severity":"high","src_ip":"10.20.30.40","dst_ip":"203.0.113.77","user":"svc-backup","host":"web-prod-03"}"#
        let other = #"{"title":"Disk full","severity":"low","src_ip":"10.9.9.9","dst_ip":"10.9.9.10","user":"root","host":"db-1"}"#
        for body in [alert, alert.replacingOccurrences(of: "SSH brute force", with: "SSH scan"), other] {
            #expect(await harness.send(.post, "/v1/events", token: harness.ingestToken, json: body).status.code == 202)
        }
        try await drain(harness)
        let incidents = items(await harness.send(.get, "/v1/incidents", token: harness.responderToken))
        #expect(incidents.count == 2)
        #expect(incidents.map { $0["finding_count"] as? Int }.compactMap { $0 }.sorted() == [1, 2])
    }

    @Test func aClosedIncidentThatLeftMemoryCanStillBePatched() async throws {
        let clock = Mutex(APIClock.system.nowMilliseconds())
        let harness = try await APITestHarness(
            clock: APIClock(nowMilliseconds: { clock.withLock { $0 } }, monotonicNanoseconds: APIClock.system.monotonicNanoseconds),
            detection: DetectionSettings())
        let alert = #"{"title":"ET POLICY SSH brute force","severity":"high","src_ip":"10.20.30.40","host":"web-prod-03"}"#
        #expect(await harness.send(.post, "/v1/events", token: harness.ingestToken, json: alert).status.code == 202)
        try await drain(harness)
        let id = try #require(items(await harness.send(.get, "/v1/incidents", token: harness.responderToken)).first?["id"] as? String)
        let close = await harness.send(.patch, "/v1/incidents/\(id)", token: harness.responderToken, json: #"{"phase":"closed"}"#)
        #expect(close.status.code == 200)
        // Two hours on, the closed incident has left memory (its record is in the store).
        clock.withLock { $0 += 2 * 3_600_000 }
        try await drain(harness)
        #expect(harness.environment.detection!.incidents.book.incident(id: id) == nil)
        let review = await harness.send(.patch, "/v1/incidents/\(id)", token: harness.responderToken,
                                        json: #"{"disposition":"false_positive","assignee":"alice"}"#)
        #expect(review.status.code == 200)
        #expect(review.jsonObject?["assignee"] as? String == "alice")
        #expect(review.jsonObject?["phase"] as? String == "closed")
        #expect(await harness.send(.patch, "/v1/incidents/inc_nope", token: harness.responderToken,
                                   json: #"{"assignee":"bob"}"#).status.code == 404)
    }

    @Test func directoryRulesCanBeSwitchedOffButNotReplacedOverTheAPI() async throws {
        let directory = NSTemporaryDirectory() + "rules-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/windows", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.encodedPowershellRule.write(toFile: directory + "/windows/encoded.yml", atomically: true, encoding: .utf8)
        var settings = DetectionSettings()
        settings.rulesDirectory = directory
        let harness = try await APITestHarness(detection: settings)
        let id = "5b4f3c2a-1111-4222-8333-944455556666"
        #expect(await harness.send(.get, "/v1/rules/\(id)", token: harness.responderToken).jsonObject?["source"] as? String == "directory")
        let replaced = await harness.send(.post, "/v1/rules", token: harness.responderToken,
                                          headers: [("Content-Type", "application/yaml")], body: Array(Self.encodedPowershellRule.utf8))
        #expect(replaced.status.code == 409)
        #expect(await harness.send(.delete, "/v1/rules/\(id)", token: harness.responderToken).status.code == 204)
        #expect(await harness.send(.get, "/v1/rules/\(id)", token: harness.responderToken).status.code == 404)
        _ = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                               json: Self.sysmonProcess(commandLine: "powershell.exe -nop -enc SQBFAFgA"))
        try await drain(harness)
        #expect(items(await harness.send(.get, "/v1/detections?type=sigma", token: harness.responderToken)).isEmpty)
        #expect(await harness.send(.delete, "/v1/rules/\(id)", token: harness.responderToken).status.code == 404)
    }
}
