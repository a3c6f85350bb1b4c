@testable import Detection
import MWRASPCore
import Testing

@Suite struct IOCDetectorTests {
    let md5 = "44d88612fea8a8f36de82e1278abb02f"
    let sha256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

    func detector() -> IOCDetector {
        IOCDetector(matcher: IOCMatcher(lists: [
            IOCList(id: "feodo", name: "Feodo C2", entries: [
                IOCEntry(value: "203.0.113.7", kind: .ip, severity: .critical),
                IOCEntry(value: "198.51.100.0/24", kind: .cidr),
                IOCEntry(value: "evil.com", kind: .domain),
            ]),
            IOCList(id: "case-42", name: "Case 42", entries: [
                IOCEntry(value: md5, kind: .hash, severity: .medium),
                IOCEntry(value: sha256, kind: .hash),
                IOCEntry(value: "203.0.113.7", kind: .ip, severity: .low),
            ]),
        ]))
    }

    @Test func flatAlertIPsMatchWithListsAndSeverity() throws {
        let findings = detector().evaluate(DetectionTestEvents.input(
            #"{"src_ip": "10.0.0.1", "dst_ip": "::ffff:203.0.113.7", "title": "conn", "timestamp": 1700000000000}"#))
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.detectorID == "IOC")
        #expect(finding.type == .ioc)
        #expect(finding.severity == .critical)  // the highest of the lists holding it
        #expect(finding.confidence == 0.9)
        #expect(finding.indicators.contains(Indicator(name: "ioc.kind", value: "ip")))
        #expect(finding.indicators.contains(Indicator(name: "ioc.value", value: "203.0.113.7")))
        #expect(finding.indicators.contains(Indicator(name: "ioc.list", value: "Feodo C2")))
        #expect(finding.indicators.contains(Indicator(name: "ioc.list", value: "Case 42")))
        #expect(finding.indicators.contains(Indicator(name: "field", value: "destination.ip")))
        #expect(finding.entities.sourceIP == "10.0.0.1")
    }

    @Test func sysmonHashesAndNetworkFields() throws {
        let json = """
            {"Event": {"System": {"Computer": "ws1", "Channel": "Microsoft-Windows-Sysmon/Operational", "EventID": 1,
              "TimeCreated": {"#attributes": {"SystemTime": "2024-05-17T13:45:22.123Z"}}},
             "EventData": {"Image": "C:\\\\x.exe",
              "Hashes": "SHA1=0000000000000000000000000000000000000000,MD5=\(md5.uppercased()),SHA256=\(sha256),IMPHASH=00000000000000000000000000000000",
              "DestinationIp": "198.51.100.255", "DestinationHostname": "cdn.EVIL.com", "QueryName": "notevil.com"}}}
            """
        let findings = detector().evaluate(DetectionTestEvents.input(json))
        let values = Set(findings.compactMap { $0.indicators.first(where: { $0.name == "ioc.value" })?.value })
        #expect(values == [md5, sha256, "198.51.100.0/24", "evil.com"])
        let hash = try #require(findings.first { $0.indicators.contains(Indicator(name: "ioc.value", value: md5)) })
        #expect(hash.indicators.contains(Indicator(name: "ioc.kind", value: "md5")))
        #expect(hash.severity == .medium)
        #expect(findings.first { $0.indicators.contains(Indicator(name: "ioc.kind", value: "sha256")) }?.severity == .high)
    }

    @Test func ecsPlacesAndArrays() {
        let json = """
            {"@timestamp": 1700000000000, "dns": {"question": {"name": "a.b.evil.com."}},
             "related": {"ip": ["192.0.2.1", "198.51.100.3"], "hash": ["\(sha256.uppercased())"]},
             "file": {"hash": {"md5": "\(md5)"}}}
            """
        let findings = detector().evaluate(DetectionTestEvents.input(json))
        #expect(findings.count == 4)
    }

    @Test func nothingMatchesCleanEventsOrPartialLabels() {
        let d = detector()
        #expect(d.evaluate(DetectionTestEvents.input(#"{"@timestamp": 1700000000000, "url": {"domain": "notevil.com"}, "source": {"ip": "198.51.101.1"}}"#)).isEmpty)
        let empty = IOCDetector()
        #expect(empty.evaluate(DetectionTestEvents.input(#"{"dst_ip": "203.0.113.7", "title": "x"}"#)).isEmpty)
        empty.update(d.matcher)
        #expect(empty.evaluate(DetectionTestEvents.input(#"{"dst_ip": "203.0.113.7", "title": "x"}"#)).count == 1)
    }
}

@Suite struct IOCCandidateExtractorTests {
    @Test func dottedTopLevelKeysAreRead() {
        let md5 = "44d88612fea8a8f36de82e1278abb02f"
        let detector = IOCDetector(matcher: IOCMatcher(lists: [IOCList(id: "x", name: "X", entries: [
            IOCEntry(value: "evil.com", kind: .domain), IOCEntry(value: md5, kind: .hash),
            IOCEntry(value: "192.0.2.10", kind: .ip)])]))
        let json = """
            {"@timestamp": 1700000000000, "dns.question.name": "x.evil.com", "file.hash": {"md5": "\(md5)"},
             "Event": {"EventData": {"QueryResults": "type:  5 cdn.example;::ffff:192.0.2.10;"}}}
            """
        let fields = Set(detector.evaluate(DetectionTestEvents.input(json)).compactMap { $0.indicators.first { $0.name == "field" }?.value })
        #expect(fields == ["dns.question.name", "file.hash.md5", "Event.EventData.QueryResults"])
    }
}
