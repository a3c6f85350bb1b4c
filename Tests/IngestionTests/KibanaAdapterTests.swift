import Ingestion
import MWRASPCore
import Testing

@Suite struct KibanaAdapterTests {
    /// A webhook connector body rendered from a template like
    /// `{"rule":{"id":"{{rule.id}}","name":"{{rule.name}}"},"context":{"alerts":[{{#context.alerts}}{{{.}}},{{/context.alerts}}]}}`:
    /// the Mustache loop leaves a comma after the last alert.
    static let rendered = #"""
    {"rule": {"id": "7c2a4f6e-1b3d-4e5f-9a8b-0c1d2e3f4a5b", "name": "SSH brute force"},
     "context": {"alerts": [
       {"_id": "a1", "@timestamp": "2024-05-17T13:45:22.123Z",
        "kibana.alert.uuid": "0b5f3c3e-8e5a-4a59-9f1e-2f1c4b7e9d01", "kibana.alert.rule.name": "SSH brute force",
        "kibana.alert.severity": "high", "kibana.alert.status": "active", "event": {"kind": "signal", "severity": 73},
        "source": {"ip": "10.20.30.40"}, "destination": {"ip": "203.0.113.77"}, "user": {"name": "svc-backup"},
        "host": {"name": "web-prod-03"}},
       {"_id": "a2", "@timestamp": "2024-05-17T13:46:00Z",
        "kibana": {"alert": {"rule": {"name": "SSH brute force"}, "severity": "medium"}},
        "source.ip": "10.20.30.41", "host": {"name": "web-prod-04"}},
     ]}}
    """#

    @Test func mustacheLoopWithTrailingComma() throws {
        var ctx = context()
        let events = try KibanaAdapter.parse(bytes(Self.rendered), context: &ctx)
        #expect(events.count == 2)
        let first = events[0], second = events[1]
        #expect(first.source == .elastic && first.kind == .alert)
        #expect(first.title == "SSH brute force")
        #expect(first.severity == .high)
        #expect(first.externalID == "0b5f3c3e-8e5a-4a59-9f1e-2f1c4b7e9d01")
        #expect(first.sourceIP == "10.20.30.40")
        #expect(first.destinationIP == "203.0.113.77")
        #expect(first.userName == "svc-backup")
        #expect(first.hostName == "web-prod-03")
        #expect(first.timestamp == may17)
        #expect(first.status == "active")
        // The numeric ECS severity stays in the document; the normalized word is written.
        #expect(try lookup(first.document, "event", "severity") as? String == "high")
        #expect(try lookup(first.document, "kibana.alert.rule.name") as? String == "SSH brute force")
        #expect(try lookup(first.document, "mwrasp", "source") as? String == "elastic")

        #expect(second.severity == .medium)  // nested spelling
        #expect(second.externalID == "a2")  // no uuid: _id
        #expect(second.sourceIP == "10.20.30.41")  // dotted spelling
        #expect(try object(second.original)["_id"] as? String == "a2")
    }

    @Test func singleTopLevelDocument() throws {
        var ctx = context()
        let events = try KibanaAdapter.parse(bytes(#"{"rule":{"name":"Malware"},"host":{"name":"h1"},"event":{"severity":"critical"},}"#), context: &ctx)
        #expect(events.count == 1)
        #expect(events[0].title == "Malware")
        #expect(events[0].severity == .critical)
        #expect(events[0].hostName == "h1")
        #expect(events[0].externalID == nil)
    }

    @Test func topLevelAlertsAndRuleNameFallback() throws {
        var ctx = context()
        let events = try KibanaAdapter.parse(bytes(#"{"rule_name":"R","alerts":[{"host":{"name":"x"}},]}"#), context: &ctx)
        #expect(events.map(\.title) == ["R"])
    }

    @Test(arguments: [
        (#"{"alerts":[{"a":1},,]}"#, "invalid JSON at byte 19: expected a value, found ','"),
        (#"{"alerts":[{"a":1}] garbage"#, "invalid JSON at byte 20: expected ',' or '}', found 'g'"),
        (#"{"alerts":"x"}"#, "field alerts must be an array, got string"),
        (#"{"alerts":[1]}"#, "field alerts[0] must be an object, got number"),
        (#"[{"a":1}]"#, "the body must be a JSON object, got array"),
        (#"{"alerts":[{"a":1}"#, "invalid JSON at byte 18: unexpected end of input, expected ',' or ']'"),
    ])
    func brokenBodies(_ body: String, _ expected: String) {
        var ctx = context()
        let error = ingestError { () throws(IngestError) in _ = try KibanaAdapter.parse(bytes(body), context: &ctx) }
        #expect(error?.reason == expected)
    }
}
