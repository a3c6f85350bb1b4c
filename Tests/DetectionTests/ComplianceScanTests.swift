@testable import Detection
import Ingestion
import MWRASPCore
import Testing

/// The sharpened byte pre-scan of COMP-001: what still triggers, what no longer does, and that
/// the detector's findings are exactly those of the previous implementation (`LegacyCompliance`).
@Suite struct ComplianceScanTests {
    static func scan(_ json: String) -> ComplianceByteScan { ComplianceByteScan(Array(json.utf8)) }

    static func regulations(_ members: String) throws -> [String] {
        let input = try CatalogFixtures.input(#"{"event":{"kind":"event","dataset":"app.records"},"# + members + "}")
        return ComplianceDetector().evaluate(input).compactMap { CatalogFixtures.indicator($0, "regulation") }
    }

    @Test func panEmbeddedInTextIsStillFound() throws {
        #expect(Self.scan(#"{"message":"paid with 4111111111111111 today"}"#).hasCardCandidate)
        #expect(Self.scan(#"{"m":"card 4111-1111-1111-1111."}"#).hasCardCandidate)
        #expect(Self.scan(#"{"n":5555555555554444}"#).hasCardCandidate)
        #expect(Self.scan(#"{"m":"line\n4111111111111111"}"#).hasCardCandidate)  // after an escape
        #expect(try Self.regulations(#""message":"paid with 4111 1111 1111 1111 today""#) == ["PCI DSS"])
        #expect(try Self.regulations(#""message":"first line\n4111111111111111""#) == ["PCI DSS"])
        // At every offset, so that the 16-byte blocks and the tail both see one.
        for pad in 0..<40 {
            let json = #"{"m":""# + String(repeating: "a ", count: pad) + #"4111111111111111"}"#
            #expect(Self.scan(json).hasCardCandidate, "\(pad)")
        }
    }

    @Test func digitRunsInHashesGUIDsAndTimestampsDoNotTrigger() {
        let quiet = [
            #"{"Hashes":"SHA1=F2EC25166F2DC893BB6FD48A0B31BC60BEB7A13A,MD5=4111111111111111A3A2DAE5"}"#,
            #"{"hash":"a4111111111111111b","sha":"4111111111111111ff00"}"#,
            #"{"guid":"{41111111-1111-1111-1111-111111111111}"}"#,  // dashes: 32 digits, not 13-19
            #"{"Keywords":"0x8000000000000000","EventRecordID":2455038,"ts":1716000000000}"#,
            #"{"id":"8372619405728164","t":"2024-05-17T13:45:22.123Z"}"#,  // Luhn fails
            #"{"x":"x4111111111111111","y":"41111111111111110"}"#,
            #"{"path":"C:\\users\\svc\\4111111111111111x"}"#,
        ]
        for json in quiet { #expect(!Self.scan(json).hasCardCandidate, "\(json)") }
    }

    @Test func emailsPhonesAndIBANs() throws {
        #expect(Self.scan(#"{"email":"anna.schmidt@example.de"}"#).hasAt)
        #expect(Self.scan(#"{"m":"mail jane@example.ie now"}"#).hasAt)
        #expect(!Self.scan(#"{"@timestamp":"2024-05-17T13:45:22.123Z","note":"ping @ noon","u":"svc@host"}"#).hasAt)
        #expect(Self.scan(#"{"phone":"+49 30 1234567"}"#).hasPlusDigit)
        #expect(Self.scan(#"{"phone":"call +33 1 23 45 67 89"}"#).hasPlusDigit)
        #expect(!Self.scan(#"{"phone":"+1 415 555 0100","tz":"+02:00","v":"a+1"}"#).hasPlusDigit)
        #expect(Self.scan(#"{"iban":"DE89 3704 0044 0532 0130 00"}"#).hasIBANStart)
        #expect(!Self.scan(#"{"h":"9EFDAAAD31A2EFCE","c":"US12345","k":"XX12"}"#).hasIBANStart)
        #expect(try Self.regulations(#""customer":{"phone":"+49 30 1234567"}"#) == ["GDPR"])
        #expect(try Self.regulations(#""email":"a@b.fr","country":"France""#) == ["GDPR"])
    }

    @Test func medicalWords() {
        #expect(Self.scan(#"{"patient":{"name":"x"}}"#).hasMedicalWord)
        #expect(Self.scan(#"{"m":"MRN#7654321"}"#).hasMedicalWord)
        #expect(Self.scan(#"{"DX":"J45"}"#).hasMedicalWord)
        #expect(Self.scan(#"{"dx_primary":"J45"}"#).hasMedicalWord)
        #expect(Self.scan(#"{"Diagnosis":"E11.9"}"#).hasMedicalWord)
        #expect(!Self.scan(#"{"ImageLoaded":"C:\\Windows\\System32\\dxgi.dll","Description":"DirectX","Name":"Media"}"#).hasMedicalWord)
    }

    @Test func ordinaryEventsDoNotTriggerAnything() throws {
        let siem = #"{"source":"suricata","severity":"high","title":"ET POLICY SSH","src_ip":"10.1.2.3","dst_ip":"203.0.113.7","user":"svc","host":"web-03","timestamp":"2024-05-17T13:45:22.123Z","raw":{"signature_id":"2001219","dest_port":"22"}}"#
        let sysmon = #"{"Event":{"System":{"Provider":{"Name":"Microsoft-Windows-Sysmon","Guid":"5770385F-C22A-43E0-BF4C-06F5698FFBD9"},"EventID":1,"Keywords":"0x8000000000000000","TimeCreated":{"SystemTime":"2025-11-28T07:59:01.340553Z"},"EventRecordID":2455038},"EventData":{"ProcessGuid":"0197231E-5645-6929-C410-000000000D00","Image":"C:\\Windows\\System32\\cmd.exe","CurrentDirectory":"C:\\Users\\xodih\\Downloads\\cli-2efa4dff59bc3d3cecdf897ccf178f99b115d63d\\","Hashes":"SHA1=F2EC25166F2DC893BB6FD48A0B31BC60BEB7A13A,MD5=45B78461F85D75C970567895A3A2DAE5,SHA256=9EFDAAAD31A2EFCE37258DABA04906691C0DA76B82E2B0FB36003727DE4F91F7","LogonId":"0x3b5cb2"}}}"#
        for json in [siem, sysmon] {
            var context = IngestContext(receivedAt: CatalogFixtures.t0)
            let event = try GenericEventAdapter.parse(Array(json.utf8), context: &context)
            #expect(!ComplianceByteScan(event.document).anything, "\(String(decoding: event.document, as: UTF8.self))")
        }
    }

    @Test func unicodeEscapesFallBackToTheCoarseGate() throws {
        // `\u0040` is an `@` the raw bytes do not show: gated the old way (no `@` byte, so no GDPR).
        let s = Self.scan(#"{"e":"a\u0040b.fr","m":"x\u00204111111111111111"}"#)
        #expect(s.hasCardCandidate)  // the coarse 13-digit-run rule
        #expect(!s.hasAt)
        // An escaped backslash before `u` is not an escape.
        #expect(!Self.scan(#"{"p":"C:\\users\\x"}"#).anything)
    }

    // MARK: equivalence with the previous implementation

    typealias SplitMix = SplitMix64

    static let fragments: [String] = [
        // positives and their parts
        #""card":"4111 1111 1111 1111""#, #""card_number":5555555555554444"#, #""message":"paid with 4111111111111111 today""#,
        #""amex":"3782 822463 10005""#, #""d":"6011111111111117""#, #""j":"3530111333300000""#, #""mc":"2223003122003222""#,
        #""patient":{"mrn":"00123456","name":"Jane Doe"}"#, #""diagnosis_code":"E11.9""#, #""message":"lab result for MRN: 7654321""#,
        #""ssn":"123-45-6789""#, #""note":"MRN#7654321 seen, SSN 123-45-6789""#, #""email":"anna.schmidt@example.de""#,
        #""country":"DE""#, #""country":"France""#, #""nationality":"ie""#, #""phone":"+49 30 1234567""#,
        #""iban":"DE89 3704 0044 0532 0130 00""#, #""message":"refund to FR1420041010050500013M02606 done""#,
        #""lawful_basis":"consent""#, #""legal_basis":"because""#, #""encrypted":true"#, #""storage":{"encryption":"AES-256-GCM"}"#,
        #""encryption":"none""#, #""dx":"J45""#, #""DX_primary":"E11""#, #""dob":"1980-01-02""#, #""patient_id":"P-1""#,
        #""first_name":"Jane""#, #""icd10":"S72.001A""#, #""tags":["a@b.fr","+353 1 234 5678"]"#,
        #""note":"\n4111111111111111""#, #""e":"a\u0040b.fr""#, #""m":"x\u00204111111111111111""#, #""t":"tab\t+49 30 1234567""#,
        #""w":"\nDE89370400440532013000""#, #""medical_record_number":12345678"#,
        // negatives
        #""Hashes":"SHA1=F2EC25166F2DC893BB6FD48A0B31BC60BEB7A13A,MD5=45B78461F85D75C970567895A3A2DAE5""#,
        #""ProcessGuid":"0197231E-5645-6929-C410-000000000D00""#, #""ts":1716000000000"#, #""order":{"id":"8372619405728164"}"#,
        #""x":"x4111111111111111""#, #""note2":"ping @ noon""#, #""phone2":"+1 415 555 0100""#, #""iban2":"DE88370400440532013000""#,
        #""Keywords":"0x8000000000000000""#, #""source":{"ip":"203.0.113.9","geo":{"country_iso_code":"DE"}}"#,
        #""path":"C:\\users\\dxgkrnl\\4111111111111111""#, #""timestamp":"2024-05-17T13:45:22.123Z""#, #""room":"E11""#,
        #""name":"Jane Doe""#, #""ref":"666-12-3456""#, #""msg":"DirectX dxgi.dll loaded""#, #""user":{"email":"bob@example.com"}"#,
        #""c":"+33 1 23 45 67 89""#, #""user2":{"name":"svc","domain":"corp.example"}"#, #""src_ip":"10.1.2.3""#,
        #""masked":"411111******1111""#, #""double":"4111  1111 1111 1111""#, #""n17":41111111111111110"#,
    ]

    static func luhnPAN(_ rng: inout SplitMix) -> String {
        let prefixes = ["4", "51", "55", "2221", "34", "37", "6011", "65", "3530", "36", "300", "9", "1"]
        let p = prefixes.randomElement(using: &rng)!
        let length = [13, 14, 15, 16, 17, 18, 19].randomElement(using: &rng)!
        var digits = p
        while digits.count < length - 1 { digits.append(Character(String(Int.random(in: 0...9, using: &rng)))) }
        if Bool.random(using: &rng) { return CompliancePANTests.withCheckDigit(digits) }
        return digits + String(Int.random(in: 0...9, using: &rng))
    }

    static func noise(_ rng: inout SplitMix) -> String {
        let hex = Array("0123456789ABCDEFabcdef")
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return String((0..<Int.random(in: 8...64, using: &rng)).map { _ in hex.randomElement(using: &rng)! })
        case 1: return String((0..<Int.random(in: 1...22, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
        case 2:
            let pan = luhnPAN(&rng)
            let sep = [" ", "-", ""].randomElement(using: &rng)!
            let grouped = sep.isEmpty ? pan : stride(from: 0, to: pan.count, by: 4).map { i -> String in
                let s = pan.index(pan.startIndex, offsetBy: i)
                return String(pan[s..<pan.index(s, offsetBy: min(4, pan.count - i))])
            }.joined(separator: sep)
            let before = ["", " ", "x", "-", "\\n", "_", "=", "\\\\n"].randomElement(using: &rng)!
            let after = ["", " ", "x", ".", "\\t", "0"].randomElement(using: &rng)!
            return before + grouped + after
        case 3: return ["patient", "Medical", "DX", "dx_", "icd", "MRN", "diagnose", "pat", "med"].randomElement(using: &rng)! + " 1234567"
        case 4: return ["a@b.de", "@x", "x@", "u@host", "p+49 30 1234567", "+4930123456789", "+(49) 30 1234567"].randomElement(using: &rng)!
        case 5: return ["DE89 3704 0044 0532 0130 00", "XDE89", "AT61 1904 3002 3457 3201", "GB82 WEST 1234 5698 7654 32"].randomElement(using: &rng)!
        case 6: return "2024-05-\(Int.random(in: 10...28, using: &rng))T13:45:22.\(Int.random(in: 100...999, using: &rng))Z"
        default: return ["Jane Doe", "C:\\\\Windows\\\\System32", "\\u00e9t\\u00e9", "\\\\u0040", "ping @ noon"].randomElement(using: &rng)!
        }
    }

    static let keys = ["message", "note", "value", "email", "phone", "country", "card", "dx", "patient_name", "mrn", "iban",
                       "lawful_basis", "Image", "CommandLine", "ssn", "diagnosis", "raw", "data"]

    static func randomEvent(_ rng: inout SplitMix) -> String {
        var members = [#""event":{"kind":"event","dataset":"app.mix"}"#]
        var usedTop = Set<Int>()
        for g in 0..<Int.random(in: 1...8, using: &rng) {
            if Int.random(in: 0..<3, using: &rng) == 0 {
                let f = Int.random(in: 0..<fragments.count, using: &rng)
                if usedTop.insert(f).inserted && Bool.random(using: &rng) { members.append(fragments[f]) }
                else { members.append(#""g\#(g)":{"# + fragments[f] + "}") }
            } else {
                let key = keys.randomElement(using: &rng)!
                let value = (0..<Int.random(in: 1...3, using: &rng)).map { _ in noise(&rng) }.joined(separator: " ")
                members.append(#""k\#(g)":{"\#(key)":"\#(value)"}"#)
            }
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    @Test func findingsEqualThePreviousImplementation() throws {
        var rng = SplitMix(seed: 0x5EED)
        let new = ComplianceDetector(), old = LegacyComplianceDetector()
        var checked = 0, flagged: [ComplianceRegulation: Int] = [:]
        for _ in 0..<4000 {
            let json = Self.randomEvent(&rng)
            guard let input = try? CatalogFixtures.input(json) else { continue }
            let a = new.violations(input).map {
                LegacyViolation(regulation: $0.regulation, evidence: $0.evidence,
                                notificationDeadlineHours: $0.notificationDeadlineHours, notificationDeadline: $0.notificationDeadline)
            }
            let b = old.violations(input)
            #expect(a == b, "\(json)")
            for v in b { flagged[v.regulation, default: 0] += 1 }
            checked += 1
        }
        #expect(checked > 3500)
        // The mix exercises every regulation, and most events still carry nothing.
        for r in ComplianceRegulation.allCases { #expect(flagged[r, default: 0] > 50, "\(r) \(flagged)") }
    }
}
