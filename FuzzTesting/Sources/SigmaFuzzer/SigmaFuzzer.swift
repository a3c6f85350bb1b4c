import Detection
import Ingestion
import MWRASPCore

// libFuzzer entry point for the Sigma engine: rule YAML as a rules directory or
// `POST /v1/rules` hands it over, compiled and run against events.
//
// An input is a Sigma YAML text, optionally followed by a line `#EVENT` and a JSON event (an
// EVTX record or a flat alert, parsed as ingestion does). Every rule document is compiled
// (correlation documents go to the correlation parser); the rules are then evaluated against
// the input's event and a fixed Sysmon process creation. A refusal with a SigmaRuleError is the
// expected answer to a bad rule. A crash is a finding, and so is any difference between the
// indexed engine (logsource plan, literal prefilter, Aho-Corasick scans, scan memo) and
// evaluating every applicable rule without a prefilter: the prefilter may only skip rules
// that cannot match.

let separator: [UInt8] = Array("\n#EVENT\n".utf8)

let fixedEvent: [UInt8] = Array("""
    {"Event":{"System":{"Provider":{"Name":"Microsoft-Windows-Sysmon"},"EventID":1,"Computer":"ws-017"},
    "EventData":{"Image":"C:\\\\Windows\\\\System32\\\\cmd.exe","CommandLine":"cmd.exe /c whoami /all & net user admin",
    "ParentImage":"C:\\\\Windows\\\\explorer.exe","User":"CORP\\\\alice","OriginalFileName":"Cmd.Exe"}}}
    """.utf8)

func input(_ json: ArraySlice<UInt8>) -> DetectionInput? {
    var context = IngestContext(receivedAt: 1_700_000_000_000)
    guard let event = try? GenericEventAdapter.parse(Array(json), context: &context) else { return nil }
    return DetectionInput(event: event)
}

nonisolated(unsafe) let fixedInput = input(fixedEvent[...])

func range(of needle: [UInt8], in bytes: [UInt8]) -> Range<Int>? {
    guard bytes.count >= needle.count else { return nil }
    for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
        return start..<start + needle.count
    }
    return nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    var yamlBytes = bytes
    var inputs: [DetectionInput] = fixedInput.map { [$0] } ?? []
    if let split = range(of: separator, in: bytes) {
        yamlBytes = Array(bytes[..<split.lowerBound])
        if let own = input(bytes[split.upperBound...]) { inputs.append(own) }
    }
    guard let yaml = String(validating: yamlBytes, as: UTF8.self) else { return 0 }
    guard let documents = try? SigmaRuleParser.parse(yaml: yaml, origin: "fuzz") else { return 0 }
    var rules: [SigmaRule] = []
    for document in documents {
        switch document {
        case .rule(let rule): rules.append(rule)
        case .correlation(let text, let origin): _ = try? SigmaCorrelationRule.parse(yaml: text, origin: origin)
        }
    }
    guard !rules.isEmpty else { return 0 }
    let set = SigmaRuleSet(rules: rules)
    for input in inputs {
        let indexed = set.matches(input).map(\.id)
        let everyRule = set.matchesWithoutPrefilter(input)
        if indexed != everyRule {
            fatalError("prefiltered engine found \(indexed), evaluating every rule found \(everyRule)")
        }
        // Twice more: the scan memo answers from the second sighting of a value on.
        for _ in 0..<2 where set.matches(input).map(\.id) != indexed {
            fatalError("a repeated evaluation answered differently")
        }
    }
    return 0
}
