import Ingestion
import MWRASPCore
import Testing

@Suite struct SplunkAlertAdapterTests {
    /// Modelled on the webhook alert action example in the Splunk documentation; an ad-hoc
    /// search, so `search_name` is null.
    static let payload = #"""
    {
      "result": {
        "_time": "1715953522.123",
        "src_ip": "10.20.30.40",
        "dest": "203.0.113.77",
        "user": "svc-backup",
        "host": "web-prod-03",
        "urgency": "high",
        "sourcetype": "suricata",
        "count": "8",
        "signature": ["ET POLICY SSH", "ET SCAN"]
      },
      "sid": "scheduler__admin__search__RMD5e461d6fb6c2b5a3b_at_1715953500_123",
      "results_link": "http://splunk.example.com:8000/app/search/@go?sid=scheduler__admin__search__RMD5e461d6fb6c2b5a3b_at_1715953500_123",
      "search_name": null,
      "owner": "admin",
      "app": "search"
    }
    """#

    @Test func alertAction_searchNameNull() throws {
        var ctx = context()
        let body = bytes(Self.payload)
        let event = try SplunkAlertAdapter.parse(body, context: &ctx)
        #expect(event.source == .splunk && event.kind == .alert)
        #expect(event.title == "Splunk alert")
        #expect(event.externalID == "scheduler__admin__search__RMD5e461d6fb6c2b5a3b_at_1715953500_123")
        #expect(event.sourceIP == "10.20.30.40")
        #expect(event.destinationIP == "203.0.113.77")
        #expect(event.userName == "svc-backup")
        #expect(event.hostName == "web-prod-03")
        #expect(event.severity == .high)
        #expect(event.timestamp == may17)
        #expect(event.original == body)
        #expect(try lookup(event.document, "splunk", "result", "count") as? String == "8")
        #expect(try lookup(event.document, "splunk", "app") as? String == "search")
        #expect(try lookup(event.document, "event", "id") as? String == event.externalID)
    }

    @Test func namedSearch() throws {
        var ctx = context()
        let event = try SplunkAlertAdapter.parse(bytes(#"{"result":{},"sid":"s1","search_name":"Brute force"}"#), context: &ctx)
        #expect(event.title == "Brute force")
        #expect(event.timestamp == ctx.receivedAt)
        #expect(event.severity == nil)
    }

    @Test(arguments: [
        (#"{"sid":"s1"}"#, "missing required field result"),
        (#"{"result":{}}"#, "missing required field sid"),
        (#"{"result":[],"sid":"s"}"#, "field result must be an object, got array"),
        (#"{"result":{},"sid":7}"#, "field sid must be a string, got number"),
        (#"{"result":{},"sid":"s","search_name":false}"#, "field search_name must be a string, got boolean"),
        (#"{"result":{},"sid":"s""#, "invalid JSON at byte 22: unexpected end of input, expected ',' or '}'"),
    ])
    func brokenBodies(_ body: String, _ expected: String) {
        var ctx = context()
        let error = ingestError { () throws(IngestError) in _ = try SplunkAlertAdapter.parse(bytes(body), context: &ctx) }
        #expect(error?.reason == expected)
    }
}
