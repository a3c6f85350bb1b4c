import Ingestion
import MWRASPCore
import Testing

@Suite struct PagerDutyAdapterTests {
    /// The trigger example from PagerDuty's Events API v2 documentation, shortened.
    static let trigger = #"""
    {
      "payload": {
        "summary": "DISK at 99% on machine prod-datapipe03.example.com",
        "timestamp": "2024-05-17T13:45:22.123+0000",
        "severity": "error",
        "source": "prod-datapipe03.example.com",
        "component": "mysql",
        "group": "prod-datapipe",
        "class": "disk",
        "custom_details": {"free space": "1%", "ping time": "1500ms", "load avg": 0.75}
      },
      "routing_key": "e93facc04764012d7bfb002500d5d1a6",
      "dedup_key": "srv01/mysql",
      "event_action": "trigger",
      "client": "Sample Monitoring Service",
      "client_url": "https://monitoring.service.com",
      "links": [{"href": "http://acme.pagerduty.com", "text": "View the incident"}],
      "images": []
    }
    """#

    @Test func trigger_mapsAndKeepsDetails() throws {
        var ctx = context()
        let body = bytes(Self.trigger)
        let result = try PagerDutyAdapter.parse(body, context: &ctx)
        #expect(result.routingKey == "e93facc04764012d7bfb002500d5d1a6")
        #expect(result.action == "trigger")
        #expect(result.dedupKey == "srv01/mysql")
        let event = result.event
        #expect(event.source == .pagerduty && event.kind == .alert)
        #expect(event.title == "DISK at 99% on machine prod-datapipe03.example.com")
        #expect(event.hostName == "prod-datapipe03.example.com")
        #expect(event.severity == .high)  // error -> high
        #expect(event.status == "trigger")
        #expect(event.externalID == "srv01/mysql:trigger")
        #expect(event.timestamp == may17)
        // The original is the body but for the routing key, which is a credential.
        let original = String(decoding: event.original, as: UTF8.self)
        #expect(original == Self.trigger.replacingOccurrences(of: "e93facc04764012d7bfb002500d5d1a6", with: "[redacted]"))
        #expect(try lookup(event.original, "routing_key") as? String == "[redacted]")
        #expect(try lookup(event.document, "pagerduty", "payload", "custom_details", "ping time") as? String == "1500ms")
        #expect(try lookup(event.document, "pagerduty", "client") as? String == "Sample Monitoring Service")
        // The routing key is a credential: not in the normalized document.
        #expect(!String(decoding: event.document, as: UTF8.self).contains("e93facc04764012d7bfb002500d5d1a6"))
    }

    @Test func triggerWithoutDedupKey_getsA32HexKey() throws {
        var ctx = context()
        let body = #"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"warning"}}"#
        let a = try PagerDutyAdapter.parse(bytes(body), context: &ctx)
        let b = try PagerDutyAdapter.parse(bytes(body), context: &ctx)
        #expect(a.dedupKey.count == 32 && a.dedupKey.allSatisfy(\.isHexDigit))
        #expect(a.dedupKey != b.dedupKey)
        #expect(a.event.externalID == "\(a.dedupKey):trigger")
        #expect(a.event.severity == .medium)
    }

    @Test(arguments: ["acknowledge", "resolve"])
    func acknowledgeAndResolve(_ action: String) throws {
        var ctx = context()
        let body = #"{"routing_key":"e93facc04764012d7bfb002500d5d1a6","dedup_key":"srv01/mysql","event_action":"\#(action)"}"#
        let result = try PagerDutyAdapter.parse(bytes(body), context: &ctx)
        #expect(result.action == action)
        #expect(result.dedupKey == "srv01/mysql")
        #expect(result.event.status == action)
        #expect(result.event.title == nil)
        #expect(result.event.timestamp == ctx.receivedAt)
    }

    @Test(arguments: [
        (#"{"event_action":"trigger"}"#, "Event object is invalid: 'routing_key' is missing or blank"),
        (#"{"routing_key":"","event_action":"trigger"}"#, "Event object is invalid: 'routing_key' is missing or blank"),
        (#"{"routing_key":"k"}"#, "Event object is invalid: 'event_action' is missing or blank"),
        (#"{"routing_key":"k","event_action":"escalate"}"#, "Event object is invalid: 'event_action' is invalid (must be one of trigger, acknowledge, resolve)"),
        (#"{"routing_key":"k","event_action":"resolve"}"#, "Event object is invalid: 'dedup_key' is missing or blank (required for resolve)"),
        (#"{"routing_key":"k","event_action":"trigger"}"#, "Event object is invalid: 'payload' is missing (required for trigger)"),
        (#"{"routing_key":"k","event_action":"trigger","payload":{"source":"h","severity":"info"}}"#, "Event object is invalid: 'payload.summary' is missing or blank"),
        (#"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","severity":"info"}}"#, "Event object is invalid: 'payload.source' is missing or blank"),
        (#"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"h"}}"#, "Event object is invalid: 'payload.severity' is missing or blank"),
        (#"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"high"}}"#, "Event object is invalid: 'payload.severity' is invalid (must be one of critical, error, warning, info)"),
        (#"{"routing_key":"k","event_action":"trigger","payload":{"summary":5,"source":"h","severity":"info"}}"#, "Event object is invalid: 'payload.summary' must be a string"),
        (#"{"routing_key":"k","event_action":"trigger","payload":"x"}"#, "Event object is invalid: 'payload' must be an object"),
        (#"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info","timestamp":"noon"}}"#, "Event object is invalid: 'payload.timestamp' is not a valid ISO 8601 timestamp"),
        (#"{"routing_key":"k","event_action":"trigger""#, "invalid JSON at byte 43: unexpected end of input, expected ',' or '}'"),
    ])
    func invalidEvents(_ body: String, _ expected: String) {
        var ctx = context()
        let error = ingestError { () throws(IngestError) in _ = try PagerDutyAdapter.parse(bytes(body), context: &ctx) }
        #expect(error?.reason == expected)
    }
}
