import Ingestion
import MWRASPCore
import Testing

@Suite struct GenericEventAdapterTests {
    /// API.md, "The generic event body".
    static let flatAlert = #"""
    {"id": "a1b2c3d4-5e6f-4a5b-8c7d-9e0f1a2b3c4d", "source": "suricata-sensor-07", "severity": "high",
     "title": "ET POLICY Possible outbound SSH brute force attempt",
     "src_ip": "10.20.30.40", "dst_ip": "203.0.113.77", "user": "svc-backup",
     "host": "web-prod-03.corp.example.com", "timestamp": "2024-05-17T13:45:22.123Z",
     "tags": ["ssh", "bruteforce"], "raw": {"signature_id": "2001219", "dest_port": "22"}}
    """#

    @Test func flatAlert_mapsToECS() throws {
        var ctx = context()
        let body = bytes(Self.flatAlert)
        let event = try GenericEventAdapter.parse(body, context: &ctx)
        #expect(event.source == .generic)
        #expect(event.kind == .alert)
        #expect(event.severity == .high)
        #expect(event.title == "ET POLICY Possible outbound SSH brute force attempt")
        #expect(event.sourceIP == "10.20.30.40")
        #expect(event.destinationIP == "203.0.113.77")
        #expect(event.userName == "svc-backup")
        #expect(event.hostName == "web-prod-03.corp.example.com")
        #expect(event.externalID == "a1b2c3d4-5e6f-4a5b-8c7d-9e0f1a2b3c4d")
        #expect(event.timestamp == may17)
        #expect(event.receivedAt == ctx.receivedAt)
        #expect(event.id.milliseconds == ctx.receivedAt)
        #expect(event.original == body)

        let doc = try object(event.document)
        #expect(doc["@timestamp"] as? String == "2024-05-17T13:45:22.123Z")
        #expect(doc["message"] as? String == event.title)
        #expect(try lookup(event.document, "event", "kind") as? String == "alert")
        #expect(try lookup(event.document, "event", "severity") as? String == "high")
        #expect(try lookup(event.document, "event", "id") as? String == event.externalID)
        #expect(try lookup(event.document, "source", "ip") as? String == "10.20.30.40")
        #expect(try lookup(event.document, "destination", "ip") as? String == "203.0.113.77")
        #expect(try lookup(event.document, "user", "name") as? String == "svc-backup")
        #expect(try lookup(event.document, "host", "name") as? String == "web-prod-03.corp.example.com")
        #expect(try lookup(event.document, "observer", "name") as? String == "suricata-sensor-07")
        #expect(try lookup(event.document, "mwrasp", "source") as? String == "generic")
        #expect(doc["tags"] as? [String] == ["ssh", "bruteforce"])
        #expect(try lookup(event.document, "raw", "signature_id") as? String == "2001219")
        for flat in ["src_ip", "dst_ip", "title", "severity", "timestamp", "id"] { #expect(doc[flat] == nil, "\(flat)") }
    }

    @Test func eachEventGetsAFreshID() throws {
        var ctx = context()
        let a = try GenericEventAdapter.parse(bytes(Self.flatAlert), context: &ctx)
        let b = try GenericEventAdapter.parse(bytes(Self.flatAlert), context: &ctx)
        #expect(a.id != b.id)
    }

    @Test func unsafeBufferEntryPointMatches() throws {
        var ctx = context()
        let body = bytes(Self.flatAlert)
        let event = try body.withUnsafeBytes { (raw) throws(IngestError) -> Event in
            try GenericEventAdapter.parse(raw, context: &ctx)
        }
        #expect(event.title == "ET POLICY Possible outbound SSH brute force attempt")
    }

    @Test func ecsDocument_keepsGroupsAndMergesNormalizedLeaves() throws {
        let body = bytes(#"""
        {"@timestamp":"2024-05-17T15:45:22.123+02:00","message":"Suspicious login",
         "event":{"kind":"signal","severity":"2","dataset":"auth.login","category":["authentication"],"outcome":"failure"},
         "source":{"ip":"198.51.100.9","port":51234,"geo":{"country_iso_code":"NL"}},
         "destination.ip":"10.0.0.5","user":{"name":"alice","domain":"CORP"},"host":{"name":"dc-01","os":{"family":"windows"}},
         "mwrasp":{"source":"spoofed"}}
        """#)
        var ctx = context()
        let event = try GenericEventAdapter.parse(body, context: &ctx)
        #expect(event.kind == .alert)  // signal is Elastic's old word for alert
        #expect(event.severity == .high)  // ECS numeric 2
        #expect(event.dataset == "auth.login")
        #expect(event.timestamp == may17)
        #expect(event.sourceIP == "198.51.100.9")
        #expect(event.destinationIP == "10.0.0.5")
        #expect(event.userName == "alice")
        #expect(event.hostName == "dc-01")
        #expect(event.title == "Suspicious login")
        #expect(try lookup(event.document, "event", "kind") as? String == "alert")
        #expect(try lookup(event.document, "event", "outcome") as? String == "failure")
        #expect(try lookup(event.document, "source", "port") as? Int == 51234)
        #expect(try lookup(event.document, "source", "geo", "country_iso_code") as? String == "NL")
        #expect(try lookup(event.document, "destination", "ip") as? String == "10.0.0.5")
        #expect(try lookup(event.document, "user", "domain") as? String == "CORP")
        #expect(try lookup(event.document, "host", "os", "family") as? String == "windows")
        #expect(try lookup(event.document, "mwrasp", "source") as? String == "generic")
        #expect(try lookup(event.document, "@timestamp") as? String == "2024-05-17T13:45:22.123Z")
    }

    @Test func kindDefaults() throws {
        var ctx = context()
        #expect(try GenericEventAdapter.parse(bytes(#"{"host":{"name":"a"}}"#), context: &ctx).kind == .event)
        #expect(try GenericEventAdapter.parse(bytes(#"{"title":"x"}"#), context: &ctx).kind == .alert)
        #expect(try GenericEventAdapter.parse(bytes(#"{"event":{"kind":"telemetry","dataset":"mwrasp.quantum"}}"#), context: &ctx).kind == .telemetry)
        #expect(try GenericEventAdapter.parse(bytes(#"{"event":{"kind":"metric"},"title":"x"}"#), context: &ctx).kind == .event)
        let noTime = try GenericEventAdapter.parse(bytes(#"{"title":"x"}"#), context: &ctx)
        #expect(noTime.timestamp == ctx.receivedAt)
    }

    @Test func sensorTelemetry_keepsMeasurements() throws {
        let body = bytes(#"""
        {"event": {"kind": "telemetry", "dataset": "mwrasp.quantum"}, "host": {"name": "kms-01"},
         "quantum": {"signals": {"period_finding": true, "qft_signature": true, "factorization": false},
           "chsh": {"ab": [40, 10, 10, 40], "ab_": [40, 10, 10, 40], "a_b": [40, 10, 10, 40], "a_b_": [10, 40, 40, 10]},
           "entanglement_witness": -0.08}}
        """#)
        var ctx = context()
        let event = try GenericEventAdapter.parse(body, context: &ctx)
        #expect(event.kind == .telemetry)
        #expect(event.dataset == "mwrasp.quantum")
        #expect(event.hostName == "kms-01")
        #expect(try lookup(event.document, "quantum", "entanglement_witness") as? Double == -0.08)
        #expect(try lookup(event.document, "quantum", "signals", "factorization") as? Bool == false)
    }

    @Test func timestampForms() throws {
        var ctx = context()
        func time(_ value: String) throws -> Int64 {
            try GenericEventAdapter.parse(bytes(#"{"title":"t","timestamp":\#(value)}"#), context: &ctx).timestamp
        }
        #expect(try time("\"2024-05-17T13:45:22.123456789Z\"") == may17)
        #expect(try time("\"2024-05-17 13:45:22.123\"") == may17)
        #expect(try time("\"2024-05-17T09:45:22.123-0400\"") == may17)
        #expect(try time("1715953522.123") == may17)  // epoch seconds
        #expect(try time("1715953522123") == may17)  // epoch milliseconds
        #expect(try time("\"1715953522.123\"") == may17)
    }

    @Test(arguments: [
        (#"{"src_ip": 5}"#, "field src_ip must be a string, got number"),
        (#"{"user": ["a"]}"#, "field user must be a string or an object, got array"),
        (#"{"source": {"ip": true}}"#, "field source.ip must be a string, got boolean"),
        (#"{"event": "x"}"#, "field event must be an object, got string"),
        (#"{"event": {"kind": 1}}"#, "field event.kind must be a string, got number"),
        (#"{"title": {"a": 1}}"#, "field title must be a string, got object"),
        (#"{"severity": "bogus"}"#, #"field severity must be one of critical, high, medium, low, info or 1-4, got "bogus""#),
        (#"{"severity": 9}"#, #"field severity must be one of critical, high, medium, low, info or 1-4, got "9""#),
        (#"{"timestamp": "yesterday"}"#, #"field timestamp must be an RFC 3339 date-time or epoch seconds, got "yesterday""#),
        (#"{"timestamp": "2024-02-30T00:00:00Z"}"#, #"field timestamp must be an RFC 3339 date-time or epoch seconds, got "2024-02-30T00:00:00Z""#),
        (#"[1, 2]"#, "the event must be a JSON object, got array"),
        (#"{"title": "x""#, "invalid JSON at byte 13: unexpected end of input, expected ',' or '}'"),
        ("", "invalid JSON at byte 0: unexpected end of input, expected a value"),
    ])
    func refusesBadBodiesPrecisely(_ body: String, _ expected: String) {
        var ctx = context()
        let error = ingestError { () throws(IngestError) in _ = try GenericEventAdapter.parse(bytes(body), context: &ctx) }
        #expect(error?.reason == expected)
        #expect(error?.line == nil)
    }

    @Test func vendorSeverityWordsAndNumbersAreMapped() throws {
        var ctx = context()
        for (word, severity) in [("\"error\"", Severity.high), ("\"warning\"", .medium), ("1", .critical), ("4", .low), ("\"INFO\"", .info)] {
            #expect(try GenericEventAdapter.parse(bytes(#"{"severity": \#(word)}"#), context: &ctx).severity == severity)
        }
    }

    @Test func refusesInvalidUTF8() {
        var ctx = context()
        let body = bytes(#"{"title":"caf"#) + [0xE9] + bytes(#""}"#)  // Latin-1 é
        let error = ingestError { () throws(IngestError) in _ = try GenericEventAdapter.parse(body, context: &ctx) }
        #expect(error?.reason == "invalid UTF-8 at byte 13")
    }

    @Test func refusesAnEventOverTheSizeLimitWithoutParsingIt() {
        var ctx = context()
        let huge = bytes(#"{"title":""#) + [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20) + bytes(#""}"#)
        let error = ingestError { () throws(IngestError) in _ = try GenericEventAdapter.parse(huge, context: &ctx) }
        #expect(error?.reason == "event too large: \(huge.count) bytes, the limit is 1048576")
    }

    @Test func ecsWinsOverFlatAliasesWhichAreKept() throws {
        var ctx = context()
        let event = try GenericEventAdapter.parse(bytes(#"{"source":{"ip":"1.1.1.1"},"src_ip":"2.2.2.2","message":"m","title":"t"}"#), context: &ctx)
        #expect(event.sourceIP == "1.1.1.1")
        #expect(event.title == "m")
        #expect(try lookup(event.document, "src_ip") as? String == "2.2.2.2")
        #expect(try lookup(event.document, "title") as? String == "t")
    }

    @Test func documentEscapesValuesWrittenFromStrings() throws {
        var ctx = context()
        let event = try GenericEventAdapter.parse(bytes(#"{"title":"a \"quoted\"\nline\u0001","user":"d\\u"}"#), context: &ctx)
        #expect(event.title == "a \"quoted\"\nline\u{01}")
        #expect(try lookup(event.document, "message") as? String == event.title)
        #expect(try lookup(event.document, "user", "name") as? String == "d\\u")
    }

    /// A Sysmon process-creation record from the Sigma regression corpus.
    @Test func windowsEventRecord() throws {
        let body = bytes(WindowsEventFixture.certutilDownload)
        var ctx = context()
        let event = try GenericEventAdapter.parse(body, context: &ctx)
        #expect(event.kind == .event)
        #expect(event.hostName == "ar-win-dc.attackrange.local")
        #expect(event.dataset == "windows.microsoft_windows_sysmon_operational")
        #expect(event.userName == "ATTACKRANGE\\Administrator")
        #expect(Timestamps.format(event.timestamp) == "2025-10-25T17:01:06.116Z")
        #expect(try lookup(event.document, "event", "code") as? String == "1")
        #expect(try lookup(event.document, "event", "provider") as? String == "Microsoft-Windows-Sysmon")
        #expect(try lookup(event.document, "Event", "EventData", "Image") as? String == "C:\\Windows\\System32\\certutil.exe")
        #expect(event.original == body)
    }
}
