import Detection
import Foundation
import Testing

@Suite struct SigmaModifierTests {
    typealias S = SigmaTestSupport

    func hits(_ detection: String, _ input: DetectionInput) throws -> Bool {
        !(try S.rule(detection).matches(input).isEmpty)
    }

    @Test func equalsIsCaseInsensitiveAndCasedIsNot() throws {
        let rule = "    sel:\n        Image: 'C:\\Windows\\System32\\cmd.exe'\n    condition: sel"
        #expect(try hits(rule, S.process(["Image": "c:\\windows\\system32\\CMD.EXE"])))
        #expect(try !hits(rule, S.process(["Image": "C:\\Windows\\System32\\cmd.exe.bak"])))
        let cased = "    sel:\n        Image|cased: 'C:\\Windows\\cmd.exe'\n    condition: sel"
        #expect(try hits(cased, S.process(["Image": "C:\\Windows\\cmd.exe"])))
        #expect(try !hits(cased, S.process(["Image": "c:\\windows\\cmd.exe"])))
    }

    @Test func containsStartsWithEndsWith() throws {
        let rule = """
            sel:
                CommandLine|contains: ' -enc '
                Image|endswith: '\\powershell.exe'
                CurrentDirectory|startswith: 'C:\\Users\\'
            condition: sel
        """
        #expect(try hits(rule, S.process(["CommandLine": "powershell -ENC abc", "Image": "C:\\x\\PowerShell.exe", "CurrentDirectory": "c:\\users\\bob"])))
        #expect(try !hits(rule, S.process(["CommandLine": "powershell -enc abc", "Image": "C:\\x\\pwsh.exe", "CurrentDirectory": "c:\\users\\bob"])))
        #expect(try !hits(rule, S.process(["CommandLine": "powershell -enc abc", "Image": "C:\\x\\powershell.exe", "CurrentDirectory": "d:\\users"])))
    }

    @Test func listsAreOrAllIsAnd() throws {
        let any = "    sel:\n        CommandLine|contains:\n            - 'alpha'\n            - 'beta'\n    condition: sel"
        #expect(try hits(any, S.process(["CommandLine": "x beta y"])))
        #expect(try !hits(any, S.process(["CommandLine": "gamma"])))
        let all = "    sel:\n        CommandLine|contains|all:\n            - 'alpha'\n            - 'beta'\n    condition: sel"
        #expect(try hits(all, S.process(["CommandLine": "beta and alpha"])))
        #expect(try !hits(all, S.process(["CommandLine": "only alpha"])))
    }

    @Test func wildcardsAndEscapes() throws {
        let rule = "    sel:\n        Image: 'C:\\\\*\\cmd?.exe'\n    condition: sel"
        #expect(try hits(rule, S.process(["Image": "C:\\Windows\\System32\\cmd2.exe"])))
        #expect(try !hits(rule, S.process(["Image": "C:\\Windows\\cmd.exe"])))
        let literal = "    sel:\n        CommandLine|contains: 'a\\*b'\n    condition: sel"
        #expect(try hits(literal, S.process(["CommandLine": "x a*b y"])))
        #expect(try !hits(literal, S.process(["CommandLine": "x aXXb y"])))
        let question = "    sel:\n        CommandLine: 'what\\?'\n    condition: sel"
        #expect(try hits(question, S.process(["CommandLine": "what?"])))
        #expect(try !hits(question, S.process(["CommandLine": "whatX"])))
    }

    @Test func keywordsSearchEveryValue() throws {
        let rule = "    keywords:\n        - 'mimikatz'\n        - 'sekurlsa::'\n    condition: keywords"
        #expect(try hits(rule, S.process(["CommandLine": "run SEKURLSA::logonpasswords"])))
        #expect(try hits(rule, S.process(["Description": "Mimikatz tool"])))
        #expect(try !hits(rule, S.process(["CommandLine": "notepad"])))
    }

    @Test func existsAndNull() throws {
        let exists = "    sel:\n        ParentImage|exists: true\n    condition: sel"
        #expect(try hits(exists, S.process(["ParentImage": "x"])))
        #expect(try !hits(exists, S.process(["Image": "x"])))
        let missing = "    sel:\n        ParentImage|exists: false\n    condition: sel"
        #expect(try hits(missing, S.process(["Image": "x"])))
        let null = "    sel:\n        Image: 'x'\n        OriginalFileName: null\n    condition: sel"
        #expect(try hits(null, S.process(["Image": "x"])))
        #expect(try !hits(null, S.process(["Image": "x", "OriginalFileName": "y"])))
        let empty = "    sel:\n        Image: 'x'\n        Description: ''\n    condition: sel"
        #expect(try hits(empty, S.process(["Image": "x", "Description": ""])))
        #expect(try !hits(empty, S.process(["Image": "x", "Description": "y"])))
    }

    @Test func cidrIPv4AndIPv6() throws {
        let rule = """
            sel:
                DestinationIp|cidr:
                    - '10.0.0.0/8'
                    - 'fe80::/10'
            condition: sel
        """
        let net = { (ip: String) in S.windows(3, ["DestinationIp": ip]) }
        let ls = "    product: windows\n    category: network_connection"
        let set = try S.rule(rule, logsource: ls)
        #expect(!set.matches(net("10.20.30.40")).isEmpty)
        #expect(set.matches(net("11.0.0.1")).isEmpty)
        #expect(!set.matches(net("FE80::1:2")).isEmpty)
        #expect(set.matches(net("2001:db8::1")).isEmpty)
        #expect(!set.matches(net("::ffff:10.1.1.1")).isEmpty)
    }

    @Test func regexWithSubModifiers() throws {
        let rule = "    sel:\n        CommandLine|re: 'net\\s+user\\s+\\w+ /add'\n    condition: sel"
        #expect(try hits(rule, S.process(["CommandLine": "net  user bob /add"])))
        #expect(try !hits(rule, S.process(["CommandLine": "NET USER bob /add"])))  // re is case-sensitive
        let ci = "    sel:\n        CommandLine|re|i: 'net\\s+user'\n    condition: sel"
        #expect(try hits(ci, S.process(["CommandLine": "NET USER bob"])))
        let multiline = "    sel:\n        CommandLine|re|m: '^second$'\n    condition: sel"
        #expect(try hits(multiline, S.process(["CommandLine": "first\nsecond\nthird"])))
        let dotall = "    sel:\n        CommandLine|re|s: 'a.b'\n    condition: sel"
        #expect(try hits(dotall, S.process(["CommandLine": "a\nb"])))
        let noDotall = "    sel:\n        CommandLine|re: 'a.b'\n    condition: sel"
        #expect(try !hits(noDotall, S.process(["CommandLine": "a\nb"])))
    }

    @Test func base64AndBase64OffsetAndWide() throws {
        // "whoami" at the three offsets: base64("whoami"), base64("xwhoami"), base64("xxwhoami").
        let rule = "    sel:\n        CommandLine|base64offset|contains: 'whoami'\n    condition: sel"
        for text in ["whoami", "xwhoami", "xxwhoami"] {
            let encoded = Data(text.utf8).base64EncodedString()
            #expect(try hits(rule, S.process(["CommandLine": "powershell -e \(encoded)"])), "offset of \(text)")
        }
        #expect(try !hits(rule, S.process(["CommandLine": "powershell -e " + Data("hostname".utf8).base64EncodedString()])))
        let plain = "    sel:\n        CommandLine|base64|contains: 'http://'\n    condition: sel"
        #expect(try hits(plain, S.process(["CommandLine": "x " + Data("http://".utf8).base64EncodedString()])))
        // wide: UTF-16LE before base64, as PowerShell -EncodedCommand does.
        let wide = "    sel:\n        CommandLine|wide|base64offset|contains: 'iex'\n    condition: sel"
        var utf16 = Data()
        for u in "xiex(".utf16 { utf16.append(UInt8(u & 0xFF)); utf16.append(UInt8(u >> 8)) }
        #expect(try hits(wide, S.process(["CommandLine": "powershell -enc " + utf16.base64EncodedString()])))
        #expect(try !hits(wide, S.process(["CommandLine": "powershell -enc " + Data("xiex(".utf8).base64EncodedString()])))
    }

    @Test func windash() throws {
        let rule = "    sel:\n        CommandLine|contains|windash: ' -decode '\n    condition: sel"
        for dash in ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"] {
            #expect(try hits(rule, S.process(["CommandLine": "certutil \(dash)decode a b"])), "dash \(dash)")
        }
        #expect(try !hits(rule, S.process(["CommandLine": "certutil +decode a b"])))
    }

    @Test func numericComparisonsAndFieldref() throws {
        let gt = "    sel:\n        TerminalSessionId|gt: 1\n        ProcessId|lte: 100\n    condition: sel"
        #expect(try hits(gt, S.process(["TerminalSessionId": 2, "ProcessId": 100])))
        #expect(try !hits(gt, S.process(["TerminalSessionId": 1, "ProcessId": 100])))
        #expect(try !hits(gt, S.process(["TerminalSessionId": 5, "ProcessId": 101])))
        let ref = "    sel:\n        Image|fieldref: ParentImage\n    condition: sel"
        #expect(try hits(ref, S.process(["Image": "C:\\a.exe", "ParentImage": "c:\\A.exe"])))
        #expect(try !hits(ref, S.process(["Image": "C:\\a.exe", "ParentImage": "C:\\b.exe"])))
    }

    /// `|fieldref` is compared on flat values (SigmaEvaluator.matchesFieldRefs): any value of
    /// the field equal, ASCII-folded, to any value of the other; absent or null never equal.
    @Test func fieldrefComparesEveryValueFolded() throws {
        let ref = "    sel:\n        Image|fieldref: ParentImage\n    condition: sel"
        func record(_ data: String) -> DetectionInput {
            S.event(##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"## + data + "}}}")
        }
        #expect(try hits(ref, record(#""Image":["x","C:\\A.exe"],"ParentImage":"c:\\a.exe""#)))
        #expect(try hits(ref, record(#""Image":"c:\\a.exe","ParentImage":["y","C:\\A.EXE"]"#)))
        #expect(try !hits(ref, record(#""Image":["x","y"],"ParentImage":["z"]"#)))
        #expect(try hits(ref, record(#""Image":12,"ParentImage":"12""#)))
        #expect(try hits(ref, record(#""Image":"","ParentImage":"""#)))
        #expect(try !hits(ref, record(#""Image":"C:\\a.exe","ParentImage":"C:\\a.exe2""#)))
        #expect(try !hits(ref, record(#""Image":"C:\\a.exe""#)))
        #expect(try !hits(ref, record(#""Image":null,"ParentImage":null"#)))
        #expect(try !hits(ref, record(#""Image":[],"ParentImage":[]"#)))
        let all = "    sel:\n        Image|fieldref|all:\n            - ParentImage\n            - OriginalFileName\n    condition: sel"
        #expect(try hits(all, record(#""Image":"a","ParentImage":"A","OriginalFileName":"a""#)))
        #expect(try !hits(all, record(#""Image":"a","ParentImage":"A","OriginalFileName":"b""#)))
        let any = "    sel:\n        Image|fieldref:\n            - ParentImage\n            - OriginalFileName\n    condition: sel"
        #expect(try hits(any, record(#""Image":"a","ParentImage":"c","OriginalFileName":"A""#)))
        #expect(try !hits(any, record(#""Image":"a","ParentImage":"c","OriginalFileName":"b""#)))
    }

    @Test func expandWithAndWithoutPlaceholderValues() throws {
        let yaml = """
        title: Expand
        id: expand-1
        logsource:
            product: windows
            category: process_creation
        detection:
            sel:
                Image|endswith: '\\cmd.exe'
            filter:
                User|expand: '%admins%'
            condition: sel and not filter
        """
        let input = S.process(["Image": "C:\\cmd.exe", "User": "CORP\\admin"])
        let without = try S.ruleSet(yaml)
        #expect(!without.matches(input).isEmpty)  // no values: the filter excludes nothing
        let options = SigmaParseOptions(placeholders: ["admins": ["CORP\\admin"]])
        var rules: [SigmaRule] = []
        for case .rule(let r) in try SigmaRuleParser.parse(yaml: yaml, origin: "t", options: options) { rules.append(r) }
        #expect(SigmaRuleSet(rules: rules).matches(input).isEmpty)
    }

    @Test func conditions() throws {
        let base = """
            sel_a:
                CommandLine|contains: 'aaa'
            sel_b:
                CommandLine|contains: 'bbb'
            filter_x:
                CommandLine|contains: 'xxx'
            _hidden:
                CommandLine|contains: 'zzz'
        """
        func check(_ condition: String, _ line: String) throws -> Bool {
            try hits(base + "\n    condition: \(condition)", S.process(["CommandLine": line]))
        }
        #expect(try check("sel_a and sel_b", "aaa bbb"))
        #expect(try !check("sel_a and sel_b", "aaa"))
        #expect(try check("sel_a or sel_b", "bbb"))
        #expect(try !check("sel_a and not filter_x", "aaa xxx"))
        #expect(try check("sel_a and not filter_x", "aaa"))
        #expect(try check("(sel_a or sel_b) and not filter_x", "bbb"))
        #expect(try !check("not (sel_a or sel_b)", "bbb"))
        #expect(try check("1 of sel_*", "bbb"))
        #expect(try !check("all of sel_*", "bbb"))
        #expect(try check("all of sel_*", "bbb aaa"))
        #expect(try check("1 of them", "xxx"))
        #expect(try !check("1 of them", "zzz"))  // `them` skips `_` selections
        #expect(try check("all of them", "aaa bbb xxx"))
        #expect(try check("_hidden", "zzz"))
        #expect(try check("sel_a or sel_b and filter_x", "aaa"))  // and binds tighter
        #expect(try !check("(sel_a or sel_b) and filter_x", "aaa"))
        // Several conditions are OR-ed.
        #expect(try hits(base + "\n    condition:\n        - sel_a\n        - sel_b", S.process(["CommandLine": "bbb"])))
    }

    @Test func listOfMapsIsOr() throws {
        let rule = """
            sel:
                - Image|endswith: '\\a.exe'
                  CommandLine|contains: 'one'
                - Image|endswith: '\\b.exe'
            condition: sel
        """
        #expect(try hits(rule, S.process(["Image": "C:\\a.exe", "CommandLine": "one"])))
        #expect(try !hits(rule, S.process(["Image": "C:\\a.exe", "CommandLine": "two"])))
        #expect(try hits(rule, S.process(["Image": "C:\\b.exe"])))
    }

    @Test func numbersMatchAsText() throws {
        let rule = "    sel:\n        EventID: 4625\n    condition: sel"
        let ls = "    product: windows\n    service: security"
        let set = try S.rule(rule, logsource: ls)
        #expect(!set.matches(S.windows(4625, ["TargetUserName": "bob"], provider: "Microsoft-Windows-Security-Auditing", channel: "Security")).isEmpty)
        #expect(set.matches(S.windows(4624, ["TargetUserName": "bob"], provider: "Microsoft-Windows-Security-Auditing", channel: "Security")).isEmpty)
    }
}
