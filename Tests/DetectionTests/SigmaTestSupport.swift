import Detection
import Foundation
import Ingestion
import MWRASPCore

/// Helpers for the Sigma tests: rules from YAML, events as the server normalizes them.
enum SigmaTestSupport {
    /// The shared test data: $SIGMA_TESTDATA, else `../../../shared/testdata/sigma` from this
    /// file (the main repo /work/main -> /work/shared/testdata), else /work/shared/testdata/sigma.
    static var testdata: String {
        if let env = ProcessInfo.processInfo.environment["SIGMA_TESTDATA"] { return env }
        let testDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let relative = testDirectory.appendingPathComponent("../../../shared/testdata/sigma").standardized.path
        if FileManager.default.fileExists(atPath: relative + "/rules") { return relative }
        return "/work/shared/testdata/sigma"
    }

    static func ruleSet(_ yaml: String) throws -> SigmaRuleSet {
        var rules: [SigmaRule] = []
        for document in try SigmaRuleParser.parse(yaml: yaml, origin: "test") {
            if case .rule(let rule) = document { rules.append(rule) }
        }
        return SigmaRuleSet(rules: rules)
    }

    /// A rule with `detection` (indented YAML lines) and an optional logsource.
    static func rule(_ detection: String, logsource: String = "    product: windows\n    category: process_creation", id: String = "test-rule") throws -> SigmaRuleSet {
        try ruleSet("""
        title: Test rule
        id: \(id)
        status: test
        level: high
        logsource:
        \(logsource)
        detection:
        \(detection)
        """)
    }

    static func event(_ json: String) -> DetectionInput {
        var context = IngestContext(receivedAt: 1_700_000_000_000)
        return DetectionInput(event: try! GenericEventAdapter.parse(Array(json.utf8), context: &context))
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// An EVTX-as-JSON record of `channel` / `provider` / `eventID` with EventData `data`.
    static func windows(_ eventID: Int, _ data: [String: Any], provider: String = "Microsoft-Windows-Sysmon",
                        channel: String = "Microsoft-Windows-Sysmon/Operational") -> DetectionInput {
        let fields = data.keys.sorted().map { key -> String in
            let value = data[key]!
            if let n = value as? Int { return "\(quoted(key)):\(n)" }
            return "\(quoted(key)):\(quoted("\(value)"))"
        }.joined(separator: ",")
        return event("""
        {"Event":{"System":{"Provider":{"#attributes":{"Name":\(quoted(provider))}},"EventID":\(eventID),"Channel":\(quoted(channel)),"Computer":"ws1.corp.local","TimeCreated":{"#attributes":{"SystemTime":"2025-01-02T03:04:05Z"}}},"EventData":{\(fields)}}}
        """)
    }

    static func process(_ data: [String: Any]) -> DetectionInput { windows(1, data) }

    static func ids(_ set: SigmaRuleSet, _ input: DetectionInput) -> [String] { set.matches(input).map(\.id) }
}
