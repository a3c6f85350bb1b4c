import Detection
import MWRASPCore
import Testing

/// Real-world style rules against events as the server normalizes them.
@Suite struct SigmaRealWorldTests {
    typealias S = SigmaTestSupport

    @Test func processCreationFindingCarriesRuleFacts() throws {
        let set = try S.ruleSet("""
        title: Encoded PowerShell From Office
        id: 11111111-2222-3333-4444-555555555555
        name: office_encoded_ps
        status: stable
        level: critical
        logsource:
            product: windows
            category: process_creation
        detection:
            selection_parent:
                ParentImage|endswith:
                    - '\\winword.exe'
                    - '\\excel.exe'
            selection_child:
                Image|endswith: '\\powershell.exe'
                CommandLine|contains|windash: ' -enc'
            filter:
                User|contains: 'svc_build'
            condition: all of selection_* and not filter
        """)
        let hit = S.process(["ParentImage": "C:\\Office\\WINWORD.EXE", "Image": "C:\\Windows\\powershell.exe",
                             "CommandLine": "powershell /enc SQBFAFgA", "User": "CORP\\alice"])
        let findings = set.findings(hit)
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.detectorID == "11111111-2222-3333-4444-555555555555")
        #expect(f.type == .sigma)
        #expect(f.severity == .critical)
        #expect(f.confidence == 0.95)
        #expect(f.entities.hostName == "ws1.corp.local")
        #expect(f.entities.userName == "CORP\\alice")
        #expect(f.indicators.contains(Indicator(name: "Image|endswith", value: "C:\\Windows\\powershell.exe")))
        #expect(set.matches(hit).first?.name == "office_encoded_ps")
        // Filtered user, other parent, and the same event on another logsource do not match.
        #expect(set.findings(S.process(["ParentImage": "C:\\Office\\WINWORD.EXE", "Image": "C:\\Windows\\powershell.exe",
                                        "CommandLine": "powershell -enc SQBFAFgA", "User": "CORP\\svc_build"])).isEmpty)
        #expect(set.findings(S.process(["ParentImage": "C:\\explorer.exe", "Image": "C:\\Windows\\powershell.exe",
                                        "CommandLine": "powershell -enc SQBFAFgA"])).isEmpty)
        #expect(set.findings(S.windows(11, ["ParentImage": "C:\\Office\\WINWORD.EXE", "Image": "C:\\Windows\\powershell.exe",
                                            "CommandLine": "powershell -enc SQBFAFgA"])).isEmpty)
    }

    @Test func securityLog4688IsProcessCreation() throws {
        let set = try S.rule("    sel:\n        Image|endswith: '\\whoami.exe'\n    condition: sel")
        let input = S.windows(4688, ["NewProcessName": "C:\\Windows\\System32\\whoami.exe", "CommandLine": "whoami"],
                              provider: "Microsoft-Windows-Security-Auditing", channel: "Security")
        #expect(S.ids(set, input) == ["test-rule"])
    }

    @Test func webAccessLogThroughECSMapping() throws {
        let set = try S.ruleSet("""
        title: Path Traversal In URI
        id: web-1
        level: high
        logsource:
            category: webserver
        detection:
            selection:
                cs-method: 'GET'
                c-uri|contains:
                    - '../../'
                    - '/etc/passwd'
            filter:
                sc-status: 404
            condition: selection and not filter
        """)
        func access(_ uri: String, _ status: Int, category: String = "webserver") -> DetectionInput {
            S.event("""
            {"@timestamp":"2025-01-01T00:00:00Z","logsource":{"category":"\(category)"},"http":{"request":{"method":"GET"},"response":{"status_code":\(status)}},"url":{"original":\(S.quoted(uri))},"source":{"ip":"198.51.100.7"},"host":{"name":"web-03"}}
            """)
        }
        #expect(S.ids(set, access("/cgi-bin/../../etc/passwd", 200)) == ["web-1"])
        #expect(set.findings(access("/cgi-bin/../../etc/passwd", 200)).first?.entities.sourceIP == "198.51.100.7")
        #expect(S.ids(set, access("/cgi-bin/../../etc/passwd", 404)).isEmpty)
        #expect(S.ids(set, access("/index.html", 200)).isEmpty)
        #expect(S.ids(set, access("/cgi-bin/../../etc/passwd", 200, category: "proxy")).isEmpty)
    }

    @Test func authenticationFailures() throws {
        let set = try S.ruleSet("""
        title: Failed Logon From External Address
        id: auth-1
        level: medium
        logsource:
            product: windows
            service: security
        detection:
            selection:
                EventID: 4625
                LogonType:
                    - 3
                    - 10
            filter_internal:
                IpAddress|cidr:
                    - '10.0.0.0/8'
                    - '192.168.0.0/16'
                    - '::1/128'
            condition: selection and not filter_internal
        """)
        func failure(_ ip: String, logonType: Int = 3, id: Int = 4625, channel: String = "Security") -> DetectionInput {
            S.windows(id, ["TargetUserName": "administrator", "LogonType": logonType, "IpAddress": ip],
                      provider: "Microsoft-Windows-Security-Auditing", channel: channel)
        }
        #expect(S.ids(set, failure("203.0.113.9")) == ["auth-1"])
        #expect(set.findings(failure("203.0.113.9")).first?.severity == .medium)
        #expect(S.ids(set, failure("10.2.3.4")).isEmpty)
        #expect(S.ids(set, failure("203.0.113.9", logonType: 2)).isEmpty)
        #expect(S.ids(set, failure("203.0.113.9", id: 4624)).isEmpty)
        #expect(S.ids(set, failure("203.0.113.9", channel: "System")).isEmpty)  // wrong service
    }

    @Test func flatAlertAndLogsourceFromDataset() throws {
        let set = try S.ruleSet("""
        title: Suspicious SSH Login
        id: linux-1
        logsource:
            product: linux
            service: auth
        detection:
            keywords:
                - 'Accepted password for root'
            condition: keywords
        """)
        let hit = S.event(#"{"event":{"dataset":"linux.auth"},"message":"sshd[1]: Accepted password for root from 1.2.3.4","host":"srv"}"#)
        #expect(S.ids(set, hit) == ["linux-1"])
        let other = S.event(#"{"event":{"dataset":"linux.syslog"},"message":"sshd[1]: Accepted password for root from 1.2.3.4"}"#)
        #expect(S.ids(set, other).isEmpty)
    }

    @Test func fieldResolutionForCorrelation() throws {
        let input = S.process(["Image": "C:\\a.exe", "User": "CORP\\bob"])
        #expect(SigmaFieldMapping.value(ofSigmaField: "Image", in: input) == "C:\\a.exe")
        #expect(SigmaFieldMapping.value(ofSigmaField: "EventID", in: input) == "1")
        #expect(SigmaFieldMapping.value(ofSigmaField: "Computer", in: input) == "ws1.corp.local")
        #expect(SigmaFieldMapping.value(ofSigmaField: "Provider_Name", in: input) == "Microsoft-Windows-Sysmon")
        let web = S.event(#"{"url":{"original":"/x"},"src_ip":"10.1.2.3"}"#)
        #expect(SigmaFieldMapping.value(ofSigmaField: "c-uri", in: web) == "/x")
        #expect(SigmaFieldMapping.value(ofSigmaField: "SourceIp", in: web) == "10.1.2.3")
        #expect(SigmaFieldMapping.value(ofSigmaField: "url.original", in: web) == "/x")
        #expect(SigmaFieldMapping.value(ofSigmaField: "Nope", in: web) == nil)
    }

    @Test func ruleSetAddingAndRemoving() throws {
        let a = try S.rule("    sel:\n        Image|endswith: '\\a.exe'\n    condition: sel", id: "a")
        let b = try S.rule("    sel:\n        Image|endswith: '\\b.exe'\n    condition: sel", id: "b")
        let both = a.adding(b.rules)
        let input = S.process(["Image": "C:\\b.exe"])
        #expect(S.ids(both, input) == ["b"])
        #expect(S.ids(both.removing(id: "b"), input).isEmpty)
        #expect(both.rule(id: "a")?.yaml.contains("a.exe") == true)
    }
}

@Suite struct SigmaEventDetectorTests {
    @Test func replacesItsRuleSet() throws {
        let detector = SigmaEventDetector(SigmaRuleSet())
        let input = SigmaTestSupport.process(["Image": "C:\\b.exe"])
        #expect(detector.evaluate(input).isEmpty)
        detector.replace(try SigmaTestSupport.rule("    sel:\n        Image|endswith: '\\b.exe'\n    condition: sel", id: "b"))
        #expect(detector.evaluate(input).map(\.detectorID) == ["b"])
    }
}
