import API
import Foundation
import HTTPCore
import MWRASPCore
import Security
import Storage
import Testing
import WebServer

/// Every ingest format through the real pipeline (auth, adapters, durable store), with the
/// vendors' documented body shapes, and what a client sees when something is wrong.
@Suite struct IngestEndpointsTests {
    static let flatAlert = """
        {"id": "a1b2c3d4-0001", "source": "suricata-sensor-07", "severity": "high",
         "title": "ET POLICY Possible outbound SSH brute force attempt",
         "src_ip": "10.20.30.40", "dst_ip": "203.0.113.77", "user": "svc-backup",
         "host": "web-prod-03.corp.example.com", "timestamp": "2024-05-17T13:45:22.123Z",
         "tags": ["ssh", "bruteforce"], "raw": {"signature_id": "2001219", "dest_port": "22"}}
        """

    @Test func genericEvent_is202AfterItIsStored_andQueryable() async throws {
        let api = try await APITestHarness()
        let response = await api.send(.post, "/v1/events", token: api.ingestToken, json: Self.flatAlert)
        #expect(response.status.code == 202)
        let id = try #require(response.jsonObject?["id"] as? String)
        #expect(response.jsonObject?["status"] as? String == "accepted")
        let stored = try await api.store.event(id: try #require(EventID(rawValue: id)))
        #expect(stored?.event.sourceIP == "10.20.30.40")
        #expect(stored?.event.hostName == "web-prod-03.corp.example.com")
        #expect(stored?.event.severity == .high)

        let listed = await api.send(.get, "/v1/events?source.ip=10.20.30.40", token: api.responderToken)
        #expect(listed.status.code == 200)
        let items = try #require(listed.jsonObject?["items"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["id"] as? String == id)
    }

    @Test func retries_withTheSourcesIDOrIdempotencyKey_getTheFirstAnswer_andStoreNothingTwice() async throws {
        let api = try await APITestHarness()
        let first = await api.send(.post, "/v1/events", token: api.ingestToken, json: Self.flatAlert)
        let retry = await api.send(.post, "/v1/events", token: api.ingestToken, json: Self.flatAlert)
        #expect(first.status.code == 202)
        #expect(retry.body == first.body)
        #expect(retry.headers["Idempotent-Replayed"] == "true")

        let noID = #"{"title":"port scan","severity":"low","src_ip":"10.0.0.9"}"#
        let keyed = await api.send(.post, "/v1/events", token: api.ingestToken, headers: [("Idempotency-Key", "k-1")], json: noID)
        let keyedRetry = await api.send(.post, "/v1/events", token: api.ingestToken, headers: [("Idempotency-Key", "k-1")], json: noID)
        #expect(keyedRetry.body == keyed.body)
        #expect(try await api.store.eventCount() == 2)
    }

    @Test func badBodies_getA400ProblemAndStoreNothing() async throws {
        let api = try await APITestHarness()
        let cases: [(String, [UInt8])] = [
            ("truncated JSON", Array(#"{"title": "x", "src_ip": "#.utf8)),
            ("wrong type", Array(#"{"title": "x", "src_ip": 5}"#.utf8)),
            ("not an object", Array("[1,2,3]".utf8)),
            ("invalid UTF-8", [UInt8(ascii: "{"), UInt8(ascii: "\""), 0xFF, 0xFE, UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: "1"), UInt8(ascii: "}")]),
            ("unknown severity", Array(#"{"title": "x", "severity": "apocalyptic"}"#.utf8)),
        ]
        for (name, body) in cases {
            let response = await api.send(.post, "/v1/events", token: api.ingestToken, body: body)
            #expect(response.status.code == 400, "\(name)")
            #expect(response.headers["Content-Type"] == "application/problem+json", "\(name)")
        }
        #expect(try await api.store.eventCount() == 0)
    }

    @Test func tokensAndRoles_401WithoutAValidToken_403WithTheWrongRole() async throws {
        let api = try await APITestHarness()
        #expect(await api.send(.post, "/v1/events", json: Self.flatAlert).status.code == 401)
        #expect(await api.send(.post, "/v1/events", token: "mwr_notarealtoken", json: Self.flatAlert).status.code == 401)
        #expect(await api.send(.post, "/v1/events", token: api.ticketingToken, json: Self.flatAlert).status.code == 403)
        #expect(await api.send(.get, "/v1/events", token: api.ingestToken).status.code == 403)
        #expect(await api.send(.post, "/v1/events", token: api.adminToken, json: Self.flatAlert).status.code == 202)
        #expect(await api.send(.get, "/v1/events", token: api.adminToken).status.code == 200)
        let unauthorized = await api.send(.get, "/v1/events")
        #expect(unauthorized.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
    }

    @Test func revokedToken_isRefusedAtOnce() async throws {
        let api = try await APITestHarness()
        let created = await api.send(.post, "/v1/tokens", token: api.adminToken, json: #"{"name":"temp","role":"ingest"}"#)
        #expect(created.status.code == 201)
        let token = try #require(created.jsonObject?["token"] as? String)
        let id = try #require(created.jsonObject?["id"] as? String)
        #expect(await api.send(.post, "/v1/events", token: token, json: Self.flatAlert).status.code == 202)
        #expect(await api.send(.delete, "/v1/tokens/\(id)", token: api.adminToken).status.code == 204)
        #expect(await api.send(.post, "/v1/events", token: token, json: Self.flatAlert).status.code == 401)
        let listed = await api.send(.get, "/v1/tokens", token: api.adminToken)
        #expect(!listed.text.contains(token), "secrets are never listed")
    }

    @Test func ndjsonBulk_storesGoodLines_andReportsBadOnesByLineNumber() async throws {
        let api = try await APITestHarness()
        let body = [
            #"{"title":"one","severity":"low","src_ip":"10.0.0.1"}"#,
            #"{"title":"two","severity":"low","src_ip":5}"#,
            "",
            #"{"title":"three","severity":"medium"}"#,
            #"{"title": "#,
        ].joined(separator: "\r\n")
        let response = await api.send(.post, "/v1/events/bulk", token: api.ingestToken, body: Array(body.utf8))
        #expect(response.status.code == 200)
        #expect(response.jsonObject?["accepted"] as? Int == 2)
        let rejected = try #require(response.jsonObject?["rejected"] as? [[String: Any]])
        #expect(rejected.map { $0["line"] as? Int } == [2, 5])
        #expect(try await api.store.eventCount() == 2)
    }

    @Test func alertmanagerWebhook_storesOneEventPerAlert() async throws {
        let api = try await APITestHarness()
        let body = """
            {"version":"4","groupKey":"{}:{alertname=\\"HighCPU\\"}","truncatedAlerts":0,"status":"firing","receiver":"mwrasp",
             "groupLabels":{"alertname":"HighCPU"},"commonLabels":{"alertname":"HighCPU","severity":"critical"},
             "commonAnnotations":{"summary":"CPU above 95%"},"externalURL":"http://alertmanager:9093",
             "alerts":[
              {"status":"firing","labels":{"alertname":"HighCPU","instance":"db-01:9100","severity":"critical"},
               "annotations":{"summary":"CPU above 95% on db-01"},"startsAt":"2024-05-17T13:40:00Z","endsAt":"0001-01-01T00:00:00Z",
               "generatorURL":"http://prometheus:9090/graph","fingerprint":"a1b2c3d4e5f60718"},
              {"status":"resolved","labels":{"alertname":"HighCPU","instance":"db-02:9100","severity":"critical"},
               "annotations":{"summary":"CPU above 95% on db-02"},"startsAt":"2024-05-17T13:30:00Z","endsAt":"2024-05-17T13:44:00Z",
               "generatorURL":"http://prometheus:9090/graph","fingerprint":"0f1e2d3c4b5a6978"}]}
            """
        let response = await api.send(.post, "/v1/ingest/alertmanager", token: api.ingestToken, json: body)
        #expect(response.status.code == 202)
        let page = try await api.store.events(EventQuery(source: .alertmanager))
        #expect(page.items.count == 2)
        #expect(Set(page.items.compactMap(\.event.hostName)) == ["db-01", "db-02"])
        #expect(Set(page.items.compactMap(\.event.status)) == ["firing", "resolved"])
        let broken = await api.send(.post, "/v1/ingest/alertmanager", token: api.ingestToken, json: #"{"version":"4","alerts":"nope"}"#)
        #expect(broken.status.code == 400)
    }

    @Test func splunkAlertAction_acceptsTheTokenInTheQuery() async throws {
        let api = try await APITestHarness()
        let body = """
            {"result":{"src_ip":"198.51.100.23","user":"jdoe","host":"fw-01","count":"42"},
             "sid":"scheduler__admin__search__RMD5a1b2_at_1715953522_123","results_link":"https://splunk:8000/app/search/@go?sid=x",
             "search_name":null,"owner":"admin","app":"search"}
            """
        let response = await api.send(.post, "/v1/ingest/splunk?token=\(api.ingestToken)", json: body)
        #expect(response.status.code == 202)
        let page = try await api.store.events(EventQuery(source: .splunk))
        #expect(page.items.first?.event.sourceIP == "198.51.100.23")
        // Only the Splunk path takes ?token=.
        #expect(await api.send(.post, "/v1/events?token=\(api.ingestToken)", json: Self.flatAlert).status.code == 401)
    }

    @Test func kibanaConnector_toleratesAMustacheTrailingComma() async throws {
        let api = try await APITestHarness()
        let body = """
            {"rule":{"name":"Suspicious login"},"context":{"alerts":[
              {"@timestamp":"2024-05-17T13:45:22.123Z","kibana.alert.uuid":"u-1","kibana.alert.rule.name":"Suspicious login",
               "kibana.alert.severity":"high","source":{"ip":"192.0.2.10"},"user":{"name":"alice"},"host":{"name":"vpn-01"}},
            ]}}
            """
        let response = await api.send(.post, "/v1/ingest/elastic", token: api.ingestToken, json: body)
        #expect(response.status.code == 202)
        let page = try await api.store.events(EventQuery(source: .elastic))
        #expect(page.items.first?.event.userName == "alice")
    }

    @Test func pagerDuty_atItsOwnPath_authenticatesByRoutingKey_andAnswersLikePagerDuty() async throws {
        let api = try await APITestHarness()
        let trigger = """
            {"routing_key":"\(api.ingestToken)","event_action":"trigger","dedup_key":"disk-full-db-01",
             "payload":{"summary":"Disk 95% full on db-01","source":"db-01","severity":"error",
                        "timestamp":"2024-05-17T13:45:22.123+00:00","component":"postgres","group":"prod-db","class":"disk",
                        "custom_details":{"free_bytes":1024}}}
            """
        let response = await api.send(.post, "/v2/enqueue", json: trigger)
        #expect(response.status.code == 202)
        #expect(response.jsonObject?["status"] as? String == "success")
        #expect(response.jsonObject?["message"] as? String == "Event processed")
        #expect(response.jsonObject?["dedup_key"] as? String == "disk-full-db-01")

        let resolve = #"{"routing_key":"\#(api.ingestToken)","event_action":"resolve","dedup_key":"disk-full-db-01"}"#
        #expect(await api.send(.post, "/v2/enqueue", json: resolve).status.code == 202)
        #expect(try await api.store.eventCount() == 2)
        // The routing key is an ingest token: nothing stored may hold it.
        for stored in try await api.store.events(EventQuery(source: .pagerduty)).items {
            #expect(!String(decoding: stored.event.original, as: UTF8.self).contains(api.ingestToken))
            #expect(!String(decoding: stored.event.document, as: UTF8.self).contains(api.ingestToken))
        }

        let badKey = await api.send(.post, "/v2/enqueue", json: trigger.replacingOccurrences(of: api.ingestToken, with: "mwr_wrong"))
        #expect(badKey.status.code == 401)
        #expect(badKey.jsonObject?["status"] as? String == "invalid event")
        let missingPayload = await api.send(.post, "/v2/enqueue", json: #"{"routing_key":"\#(api.ingestToken)","event_action":"trigger"}"#)
        #expect(missingPayload.status.code == 400)

        let viaV1 = await api.send(.post, "/v1/ingest/pagerduty", token: api.ingestToken, json: trigger.replacingOccurrences(of: "disk-full-db-01", with: "other"))
        #expect(viaV1.status.code == 202)
    }

    @Test func splunkHEC_answersExactlyAsSplunkDoes() async throws {
        let api = try await APITestHarness()
        let body = #"{"time":1715953522.123,"host":"web-01","sourcetype":"access_combined","event":"GET /login 401"}"#
            + "\n" + #"{"time":"1715953523","event":{"action":"login","user":"bob"}}"#
            + #"{"event":"third"}"#
        func hec(_ authorization: String?, _ body: String) async -> Response {
            await api.send(.post, "/services/collector/event", headers: authorization.map { [("Authorization", $0)] } ?? [], body: Array(body.utf8))
        }
        let ok = await hec("Splunk \(api.ingestToken)", body)
        #expect(ok.status.code == 200)
        #expect(ok.text == #"{"text":"Success","code":0}"#)
        #expect(try await api.store.eventCount() == 3)

        let missing = await hec(nil, body)
        #expect(missing.status.code == 401)
        #expect(missing.text == #"{"text":"Token is required","code":2}"#)
        let malformed = await hec("Basic abc", body)
        #expect(malformed.status.code == 401)
        #expect(malformed.text == #"{"text":"Invalid authorization","code":3}"#)
        let invalid = await hec("Splunk mwr_nope", body)
        #expect(invalid.status.code == 403)
        #expect(invalid.text == #"{"text":"Invalid token","code":4}"#)
        let empty = await hec("Splunk \(api.ingestToken)", "")
        #expect(empty.status.code == 400)
        #expect(empty.text == #"{"text":"No data","code":5}"#)
        let bad = await hec("Splunk \(api.ingestToken)", #"{"event":"ok"}{"event":"x""#)
        #expect(bad.status.code == 400)
        #expect(bad.jsonObject?["text"] as? String == "Invalid data format")
        #expect(bad.jsonObject?["code"] as? Int == 6)
        #expect(bad.jsonObject?["invalid-event-number"] as? Int == 1)
        let noEvent = await hec("Splunk \(api.ingestToken)", #"{"event":"ok"}{"nope":1}"#)
        #expect(noEvent.status.code == 400)
        #expect(noEvent.text == #"{"text":"Event field is required","code":12,"invalid-event-number":1}"#)
        #expect(try await api.store.eventCount() == 3, "nothing partial is stored")
    }

    @Test func signedWebhooks_badMAC_oldTimestamp_missingHeader_areRefused() async throws {
        let secret = "whsec-test"
        let api = try await APITestHarness(signingSecret: secret, requireSignature: true)
        let body = Array(Self.flatAlert.utf8)
        let now = Int64(Date().timeIntervalSince1970)
        func post(_ signature: String?) async -> Int {
            await api.send(.post, "/v1/events", token: api.ingestToken, headers: signature.map { [("X-MWRASP-Signature", $0)] } ?? [],
                           body: body).status.code
        }
        #expect(await post(WebhookSignature.sign(body: body, secret: Array(secret.utf8), timestamp: now)) == 202)
        #expect(await post(nil) == 401)
        #expect(await post(WebhookSignature.sign(body: body, secret: Array("other".utf8), timestamp: now)) == 401)
        #expect(await post(WebhookSignature.sign(body: body, secret: Array(secret.utf8), timestamp: now - 301)) == 401)
        #expect(await post("t=\(now),v1=zz") == 401)
    }

    @Test func rateLimit_is429WithRetryAfter() async throws {
        // Time stands still, so no token refills however slowly the requests run (a loaded CI
        // machine once took long enough between requests to refill the bucket).
        let frozen = APIClock(nowMilliseconds: APIClock.system.nowMilliseconds, monotonicNanoseconds: { 1_000_000_000 })
        let api = try await APITestHarness(ratePerSecond: 3, clock: frozen)
        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses.append(await api.send(.get, "/v1/events", token: api.responderToken).status.code)
        }
        #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
        let limited = await api.send(.get, "/v1/events", token: api.responderToken)
        #expect(limited.status.code == 429)
        #expect(Int(limited.headers["Retry-After"] ?? "") ?? 0 >= 1)
    }

    @Test func eventsQuery_paginatesWithoutGapsOrDuplicates_andRefusesBadFilters() async throws {
        let api = try await APITestHarness()
        let lines = (0..<25).map { #"{"title":"e\#($0)","severity":"low","host":"h-\#($0 % 2)"}"# }.joined(separator: "\n")
        #expect(await api.send(.post, "/v1/events/bulk", token: api.ingestToken, body: Array(lines.utf8)).status.code == 200)
        var seen: [String] = []
        var cursor: String?
        repeat {
            let target = "/v1/events?limit=10" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = await api.send(.get, target, token: api.responderToken)
            #expect(page.status.code == 200)
            let object = try #require(page.jsonObject)
            seen += (object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = object["next_cursor"] as? String
        } while cursor != nil
        #expect(seen.count == 25)
        #expect(Set(seen).count == 25)
        #expect(seen == seen.sorted(by: >), "newest first")

        let filtered = await api.send(.get, "/v1/events?host.name=h-1&limit=1000", token: api.responderToken)
        #expect((filtered.jsonObject?["items"] as? [Any])?.count == 12)
        for bad in ["/v1/events?limit=0", "/v1/events?from=yesterday", "/v1/events?colour=red", "/v1/events?cursor=%%%", "/v1/events?kind=weird"] {
            let response = await api.send(.get, bad, token: api.responderToken)
            #expect(response.status.code == 400, "\(bad)")
        }
    }
}

@Suite struct IdempotencyScopeTests {
    @Test func theSameIdempotencyKey_onAnotherEndpoint_isAnotherRequest() async throws {
        let api = try await APITestHarness()
        let key = [("Idempotency-Key", "shared-key")]
        let event = await api.send(.post, "/v1/events", token: api.ingestToken, headers: key, json: #"{"title":"x","severity":"low"}"#)
        #expect(event.status.code == 202)
        let kibana = await api.send(.post, "/v1/ingest/elastic", token: api.ingestToken, headers: key,
                                    json: #"{"context":{"alerts":[{"kibana.alert.rule.name":"r","host":{"name":"h"}}]}}"#)
        #expect(kibana.status.code == 202)
        #expect(kibana.headers["Idempotent-Replayed"] == nil)
        #expect(kibana.jsonObject?["events"] as? Int == 1)
    }
}
