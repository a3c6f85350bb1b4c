import Foundation
import Ingestion
import MWRASPCore

// libFuzzer entry point for everything a SIEM's bytes reach before storage: the JSON scanner
// and every ingest adapter (generic/ECS/EVTX, NDJSON, Alertmanager, Splunk, Kibana, PagerDuty,
// HEC) and the time-stamp parsers. A crash (a trap, an ASan report) or a broken invariant is a
// finding; a refusal with an IngestError is the expected answer to bad input.
//
// Invariants checked on every input:
// - `JSONScanner.validate` and `JSONScanner.init` agree, and the lenient (trailing comma) mode
//   accepts whatever the strict one does;
// - Foundation's JSONSerialization agrees with the lenient scanner (both take trailing commas) on
//   UTF-8 input within our nesting limit (a differential oracle: two independent parsers);
// - what the scanner accepts, it writes back as compact JSON that scans again and writes
//   back identically, and every string it decodes is valid UTF-8;
// - an adapter's events carry a normalized document that is itself valid JSON;
// - NDJSON refusals name increasing line numbers, and stored + refused <= lines;
// - a parsed RFC 3339 time formats back to a string that parses to the same instant.

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}

func checkScanner(_ bytes: [UInt8]) {
    let strict = Result { () throws(IngestError) in try JSONScanner(bytes) }
    let validated = Result { () throws(IngestError) in try JSONScanner.validate(bytes) }
    switch (strict, validated) {
    case (.success, .success), (.failure, .failure): break
    default: check(false, "init and validate disagree: \(strict) vs \(validated)")
    }
    let lenient = Result { () throws(IngestError) in try JSONScanner(bytes, options: .init(allowTrailingCommas: true)) }
    if case .success = strict, case .failure(let error) = lenient {
        check(false, "lenient mode refused what strict mode accepted: \(error)")
    }
    checkAgainstFoundation(bytes, accepted: (try? lenient.get()) != nil)
    guard case .success(let scanner) = strict else { return }

    var compact: [UInt8] = []
    scanner.write(scanner.root, into: &compact)
    guard let again = try? JSONScanner(compact) else {
        check(false, "compact rewrite does not scan: \(String(decoding: compact, as: UTF8.self))")
        return
    }
    var twice: [UInt8] = []
    again.write(again.root, into: &twice)
    check(compact == twice, "rewrite is not a fixed point")
    for node in scanner.nodes.indices where scanner.kind(node) == .string {
        let decoded = scanner.decodedBytes(node)
        check(String(validating: decoded, as: UTF8.self) != nil, "decoded string is not UTF-8")
    }
}

/// Foundation refuses two things RFC 8259's grammar allows and the scanner accepts: a lone
/// surrogate escape (`"\ud800"`) and a number beyond Double's range (`1e999`). An input that
/// Foundation refuses and that holds either shape is left out of the comparison.
func checkAgainstFoundation(_ bytes: [UInt8], accepted: Bool) {
    guard String(validating: bytes, as: UTF8.self) != nil else { return }
    // Our nesting limit is 64; Foundation's is deeper.
    var depth = 0
    var deepest = 0
    for byte in bytes where byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
        depth += 1
        deepest = max(deepest, depth)
    }
    guard deepest < 60 else { return }
    // Foundation guesses UTF-16 or UTF-32 from NUL bytes among the first four (and skips a
    // byte-order mark); RFC 8259 section 8.1 makes JSON between systems UTF-8, so we do not.
    if bytes.prefix(4).contains(0) || bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return }
    let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    if accepted && !foundation {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("\\u") || text.contains(where: { $0 == "e" || $0 == "E" }) { return }
        var digits = 0
        for byte in bytes {
            digits = (0x30...0x39).contains(byte) ? digits + 1 : 0
            if digits > 300 { return }
        }
    }
    check(foundation == accepted, "Foundation \(foundation ? "accepts" : "refuses"), the scanner \(accepted ? "accepts" : "refuses")")
}

func checkEvent(_ event: Event, _ adapter: String) {
    check((try? JSONScanner.validate(event.document)) != nil, "\(adapter): normalized document is not JSON")
}

func checkAdapters(_ bytes: [UInt8]) {
    var context = IngestContext(receivedAt: 1_700_000_000_000)
    if let event = try? GenericEventAdapter.parse(bytes, context: &context) { checkEvent(event, "generic") }
    for event in (try? AlertmanagerAdapter.parse(bytes, context: &context)) ?? [] { checkEvent(event, "alertmanager") }
    for event in (try? KibanaAdapter.parse(bytes, context: &context)) ?? [] { checkEvent(event, "kibana") }
    for event in (try? HECAdapter.parse(bytes, context: &context)) ?? [] { checkEvent(event, "hec") }
    if let event = try? SplunkAlertAdapter.parse(bytes, context: &context) { checkEvent(event, "splunk") }
    if let pagerDuty = try? PagerDutyAdapter.parse(bytes, context: &context) { checkEvent(pagerDuty.event, "pagerduty") }

    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
    let bulk = NDJSONAdapter.parse(bytes, context: &context)
    check(bulk.events.count + bulk.rejected.count <= lines, "NDJSON: more results than lines")
    var previous = 0
    for error in bulk.rejected {
        guard let line = error.line else { return check(false, "NDJSON: a refusal without a line") }
        check(line > previous && line <= lines, "NDJSON: line \(line) out of order or range")
        previous = line
    }
    for event in bulk.events { checkEvent(event, "ndjson") }
}

func checkTimestamps(_ bytes: [UInt8]) {
    guard bytes.count <= 64, let milliseconds = Timestamps.parseRFC3339(bytes) else { return }
    let formatted = Timestamps.format(milliseconds)
    check(Timestamps.parseRFC3339(Array(formatted.utf8)) == milliseconds, "RFC 3339 round trip: \(formatted)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    checkScanner(bytes)
    checkAdapters(bytes)
    checkTimestamps(bytes)
    return 0
}
