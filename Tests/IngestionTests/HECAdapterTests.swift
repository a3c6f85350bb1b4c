import Ingestion
import MWRASPCore
import Testing

@Suite struct HECAdapterTests {
    /// Three events the way Splunk's HEC examples batch them: concatenated objects, a string
    /// event and object events, `time` as a number and as a string.
    static let batch = #"""
    {"time": 1715953522.123, "host": "web-prod-03", "source": "sshd", "sourcetype": "linux_secure", "index": "main", "event": "Failed password for invalid user admin from 10.20.30.40 port 51234 ssh2"}
    {"time": "1715953523", "host": "web-prod-03", "sourcetype": "suricata", "fields": {"env": "prod", "team": ["soc", "net"]},
     "event": {"event": {"kind": "alert", "severity": "high"}, "message": "ET SCAN", "source": {"ip": "10.20.30.40"}, "destination": {"ip": "10.0.0.5"}}}{"event": {"message": "no envelope"}}
    """#

    private func parse(_ text: String) -> Result<[Event], HECError> {
        var ctx = context()
        return Result { () throws(HECError) in try HECAdapter.parse(bytes(text), context: &ctx) }
    }

    @Test func threeConcatenatedEvents() throws {
        var ctx = context()
        let events = try HECAdapter.parse(bytes(Self.batch), context: &ctx)
        #expect(events.count == 3)
        let (a, b, c) = (events[0], events[1], events[2])
        #expect(a.source == .hec && a.kind == .event)
        #expect(a.timestamp == may17)
        #expect(a.hostName == "web-prod-03")
        #expect(a.dataset == "linux_secure")
        #expect(a.title?.hasPrefix("Failed password") == true)
        #expect(try lookup(a.document, "message") as? String == a.title)
        #expect(try lookup(a.document, "hec", "index") as? String == "main")
        #expect(String(decoding: a.original, as: UTF8.self).hasSuffix("ssh2\"}"))

        #expect(b.kind == .alert)
        #expect(b.timestamp == 1_715_953_523_000)
        #expect(b.severity == .high)
        #expect(b.sourceIP == "10.20.30.40")
        #expect(b.destinationIP == "10.0.0.5")
        #expect(b.dataset == "suricata")
        #expect(b.hostName == "web-prod-03")
        #expect(try lookup(b.document, "hec", "fields", "env") as? String == "prod")
        #expect(try lookup(b.document, "mwrasp", "source") as? String == "hec")

        #expect(c.timestamp == ctx.receivedAt)
        #expect(c.title == "no envelope")
        #expect(c.original == bytes(#"{"event": {"message": "no envelope"}}"#))
    }

    @Test(arguments: [
        ("", HECError(code: 5, text: "No data")),
        (" \n\t ", HECError(code: 5, text: "No data")),
        (#"{"event":"a"}{"event":"b""#, HECError(code: 6, text: "Invalid data format", invalidEventNumber: 1)),
        (#"{"event":"a"} [1]"#, HECError(code: 6, text: "Invalid data format", invalidEventNumber: 1)),
        (#"{"event":"a"} garbage"#, HECError(code: 6, text: "Invalid data format", invalidEventNumber: 1)),
        (#"{"event":"a","time":"yesterday"}"#, HECError(code: 6, text: "Invalid data format", invalidEventNumber: 0)),
        (#"{"event":"a","host":5}"#, HECError(code: 6, text: "Invalid data format", invalidEventNumber: 0)),
        (#"{"event":"a"}{"time":1}"#, HECError(code: 12, text: "Event field is required", invalidEventNumber: 1)),
        (#"{"event":null}"#, HECError(code: 12, text: "Event field is required", invalidEventNumber: 0)),
        (#"{"event":"a"}{"event":"b"}{"event":""}"#, HECError(code: 13, text: "Event field cannot be blank", invalidEventNumber: 2)),
        (#"{"event":"a","fields":[1]}"#, HECError(code: 15, text: "Error in handling indexed fields", invalidEventNumber: 0)),
    ])
    func splunkErrorCodes(_ body: String, _ expected: HECError) {
        #expect(throws: expected) { try parse(body).get() }
    }

    @Test func errorsCarryADetail() {
        guard case .failure(let error) = parse(#"{"event":"a","host":5}"#) else { Issue.record("accepted"); return }
        #expect(error.detail == "field host must be a string, got number")
    }

    @Test func invalidUTF8() {
        var ctx = context()
        let body = bytes(#"{"event":""#) + [0xC3] + bytes(#""}"#)
        #expect(throws: HECError(code: 6, text: "Invalid data format", invalidEventNumber: 0)) {
            try HECAdapter.parse(body, context: &ctx)
        }
    }
}
