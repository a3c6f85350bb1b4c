import Ingestion
import MWRASPCore
import Testing

@Suite struct AlertmanagerAdapterTests {
    /// Modelled on the webhook_config payload in the Alertmanager documentation.
    static let payload = #"""
    {
      "version": "4",
      "groupKey": "{}:{alertname=\"HighCPU\"}",
      "truncatedAlerts": 0,
      "status": "firing",
      "receiver": "mwrasp",
      "groupLabels": {"alertname": "HighCPU"},
      "commonLabels": {"alertname": "HighCPU", "job": "node"},
      "commonAnnotations": {},
      "externalURL": "http://alertmanager.example.com:9093",
      "alerts": [
        {
          "status": "firing",
          "labels": {"alertname": "HighCPU", "instance": "web-prod-03:9100", "job": "node", "severity": "critical"},
          "annotations": {"summary": "CPU above 95% for 10 minutes", "description": "web-prod-03 is saturated"},
          "startsAt": "2024-05-17T13:45:22.123456789Z",
          "endsAt": "0001-01-01T00:00:00Z",
          "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=cpu",
          "fingerprint": "c4e4d2b8f2a1d3e5"
        },
        {
          "status": "resolved",
          "labels": {"alertname": "DiskFull", "hostname": "db-01", "severity": "warning"},
          "annotations": {"description": "Disk / is 91% full"},
          "startsAt": "2024-05-17T12:00:00Z",
          "endsAt": "2024-05-17T13:45:22.123Z",
          "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=disk",
          "fingerprint": "0a1b2c3d4e5f6789"
        }
      ]
    }
    """#

    @Test func twoAlerts_oneResolved() throws {
        var ctx = context()
        let body = bytes(Self.payload)
        let events = try AlertmanagerAdapter.parse(body, context: &ctx)
        #expect(events.count == 2)
        let firing = events[0], resolved = events[1]
        #expect(firing.source == .alertmanager && firing.kind == .alert)
        #expect(firing.title == "CPU above 95% for 10 minutes")
        #expect(firing.severity == .critical)
        #expect(firing.hostName == "web-prod-03")
        #expect(firing.status == "firing")
        #expect(firing.externalID == "c4e4d2b8f2a1d3e5:2024-05-17T13:45:22.123456789Z:firing")
        #expect(firing.timestamp == may17)
        #expect(try lookup(firing.document, "labels", "job") as? String == "node")
        #expect(try lookup(firing.document, "alertmanager", "receiver") as? String == "mwrasp")
        #expect(try lookup(firing.document, "event", "end") == nil)
        #expect(try lookup(firing.document, "mwrasp", "source") as? String == "alertmanager")

        #expect(resolved.title == "Disk / is 91% full")  // no summary: the description
        #expect(resolved.severity == .medium)
        #expect(resolved.hostName == "db-01")
        #expect(resolved.status == "resolved")
        #expect(resolved.timestamp == may17)  // endsAt when resolved
        #expect(resolved.externalID == "0a1b2c3d4e5f6789:2024-05-17T12:00:00Z:resolved")

        // Each original is exactly that alert's object in the body.
        let text = String(decoding: firing.original, as: UTF8.self)
        #expect(text.hasPrefix("{") && text.hasSuffix("}") && text.contains("c4e4d2b8f2a1d3e5") && !text.contains("DiskFull"))
        #expect(try object(resolved.original)["fingerprint"] as? String == "0a1b2c3d4e5f6789")
    }

    @Test func resendingAFiringAlertGivesTheSameExternalID() throws {
        var ctx = context()
        let a = try AlertmanagerAdapter.parse(bytes(Self.payload), context: &ctx)
        let b = try AlertmanagerAdapter.parse(bytes(Self.payload), context: &ctx)
        #expect(a[0].externalID == b[0].externalID)
        #expect(a[0].id != b[0].id)
    }

    @Test func titleFallsBackToAlertname() throws {
        var ctx = context()
        let events = try AlertmanagerAdapter.parse(bytes(#"{"alerts":[{"status":"firing","labels":{"alertname":"Watchdog","instance":"[::1]:9093"}}]}"#), context: &ctx)
        #expect(events[0].title == "Watchdog")
        #expect(events[0].hostName == "::1")
        #expect(events[0].timestamp == ctx.receivedAt)
        #expect(events[0].externalID == nil)
    }

    @Test(arguments: [
        (#"{"version":"4","status":"firing"}"#, "missing required field alerts"),
        (#"{"alerts":{}}"#, "field alerts must be an array, got object"),
        (#"{"alerts":[5]}"#, "field alerts[0] must be an object, got number"),
        (#"{"alerts":[{"status":"firing"}]}"#, "missing required field alerts[0].labels"),
        (#"{"alerts":[{"status":"firing","labels":{"severity":3}}]}"#, "field alerts[0].labels.severity must be a string, got number"),
        (#"{"alerts":[{"status":"open","labels":{}}]}"#, #"field alerts[0].status must be "firing" or "resolved", got "open""#),
        (#"{"alerts":[{"status":"firing","labels":{},"startsAt":"soon"}]}"#, #"field alerts[0].startsAt must be an RFC 3339 date-time, got "soon""#),
        (#"{"version":"3","alerts":[]}"#, #"unsupported Alertmanager webhook version "3", expected "4""#),
        (#"["alerts"]"#, "the body must be a JSON object, got array"),
        (#"{"alerts":[{"status":"firing","labels":{}}"#, "invalid JSON at byte 42: unexpected end of input, expected ',' or ']'"),
    ])
    func brokenBodies(_ body: String, _ expected: String) {
        var ctx = context()
        let error = ingestError { () throws(IngestError) in _ = try AlertmanagerAdapter.parse(bytes(body), context: &ctx) }
        #expect(error?.reason == expected)
    }
}
