@testable import Detection
import Foundation
import Ingestion
import MWRASPCore
import Testing

/// The prefilter may only skip rules that cannot match: the indexed engine must find exactly
/// what evaluating every applicable rule finds, on events built from the rules' own values
/// (so that many of them do match, through many different needles and fields).
@Suite(.serialized) struct SigmaPrefilterEquivalenceTests {
    static let set = SigmaCorpusTests.set

    typealias Random = SplitMix64

    static let filler = ["", "x", " -a ", "C:\\Windows\\", "abc", "\\Temp\\", " /c ", "`", "-f ", "'", ".exe", "%TEMP%", "1"]

    /// A string some value of `pattern` could be (wildcards filled at random, case changed).
    static func sample(_ pattern: SigmaPattern, _ rng: inout Random) -> String? {
        func randomCase(_ s: String) -> String {
            String(s.map { c in rng.percent(30) ? Character(c.uppercased()) : c })
        }
        switch pattern {
        case .text(let t):
            var out = ""
            for token in t.tokens {
                switch token {
                case .literal(let l): out += String(decoding: l, as: UTF8.self)
                case .one: out += "z"
                case .star: out += filler[rng.below(filler.count)]
                }
            }
            return t.cased ? out : randomCase(out)
        case .anyOf(let ps):
            return ps.isEmpty ? nil : sample(ps[rng.below(ps.count)], &rng)
        case .regex(let r):
            // Not generated from the regex: its literal bits, which exercise its needle.
            return String(decoding: Array(r.source.utf8).filter { !"\\^$()[]{}+*?|".utf8.contains($0) }, as: UTF8.self)
        case .compare(_, let n): return String(Int(n) + rng.below(3) - 1)
        case .cidr: return "10.0.0.\(rng.below(255))"
        default: return nil
        }
    }

    /// Field values from `rule`'s selections (a random subset of its items).
    static func values(_ rule: SigmaRule, _ rng: inout Random, into fields: inout [String: String], keywords: inout [String]) {
        func visit(_ s: SigmaSelection) {
            switch s {
            case .any(let alternatives):
                if !alternatives.isEmpty { visit(alternatives[rng.below(alternatives.count)]) }
            case .all(let items):
                for item in items where rng.percent(85) && !item.patterns.isEmpty {
                    var picked = ""
                    let count = item.matchAll ? item.patterns.count : 1
                    for k in 0..<count {
                        let p = item.matchAll ? item.patterns[k] : item.patterns[rng.below(item.patterns.count)]
                        if let v = sample(p, &rng) { picked += (picked.isEmpty ? "" : filler[rng.below(filler.count)]) + v }
                    }
                    if let field = item.field {
                        if rng.percent(20), let old = fields[field] { picked = old + " " + picked }
                        fields[field] = picked
                    } else {
                        keywords.append(picked)
                    }
                }
            }
        }
        for s in rule.detection.selections where rng.percent(70) { visit(s) }
    }

    static let categoryEvents: [(category: String, eventID: Int)] = [
        ("process_creation", 1), ("network_connection", 3), ("image_load", 7), ("create_remote_thread", 8),
        ("process_access", 10), ("file_event", 11), ("registry_set", 13), ("dns_query", 22), ("file_delete", 23),
    ]

    @Test func indexedEngineAgreesWithExhaustiveEvaluation() {
        let set = Self.set
        var rng = Random(seed: 0x5157_4D41)
        var byCategory: [String: [SigmaRule]] = [:]
        for rule in set.rules where rule.logsource.product == "windows" {
            byCategory[rule.logsource.category ?? "", default: []].append(rule)
        }
        var events = 0, matched = 0, totalMatches = 0
        var mismatches: [String] = []
        for round in 0..<3000 {
            let (category, eventID) = Self.categoryEvents[round % Self.categoryEvents.count]
            guard let pool = byCategory[category], !pool.isEmpty else { continue }
            var fields: [String: String] = [:]
            var keywords: [String] = []
            for _ in 0..<(1 + rng.below(3)) { Self.values(pool[rng.below(pool.count)], &rng, into: &fields, keywords: &keywords) }
            if !keywords.isEmpty { fields["Keywords"] = keywords.joined(separator: " ") }
            if rng.percent(30) { fields["Image"] = fields["Image"] ?? "C:\\Program Files\\Vendor\\app.exe" }
            // Security-log spellings and spaced names too (the resolver's other paths).
            if rng.percent(10), let image = fields.removeValue(forKey: "Image") { fields["NewProcessName"] = image }
            if rng.percent(5), let command = fields.removeValue(forKey: "CommandLine") { fields["Command Line"] = command }
            fields.removeValue(forKey: "EventID")
            let input = SigmaTestSupport.windows(eventID, fields)
            // Three times: the second sighting of a value is remembered by the scan memo and
            // the third is answered from it (SigmaScanMemo); every answer must be the same.
            let indexed = set.matches(input).map(\.id).sorted()
            let again = [set.matches(input).map(\.id).sorted(), set.matches(input).map(\.id).sorted()]
            let exhaustive = set.matchesWithoutPrefilter(input).sorted()
            if again.contains(where: { $0 != indexed }) { mismatches.append("\(category) \(fields): repeated evaluation \(again) first \(indexed)") }
            events += 1
            if !exhaustive.isEmpty { matched += 1 }
            totalMatches += exhaustive.count
            if indexed != exhaustive {
                mismatches.append("\(category) \(fields): indexed \(indexed) exhaustive \(exhaustive)")
            }
        }
        print("prefilter equivalence: \(events) events, \(matched) matching, \(totalMatches) matches, \(mismatches.count) mismatches")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(matched > events / 3)
    }

    /// The regression samples: both paths agree on every sample event too.
    @Test func regressionEventsAgree() throws {
        let root = SigmaTestSupport.testdata + "/regression"
        let enumerator = FileManager.default.enumerator(atPath: root)!
        var context = IngestContext(receivedAt: 1_764_000_000_000)
        var checked = 0
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".json") else { continue }
            let bytes = [UInt8](FileManager.default.contents(atPath: root + "/" + relative)!)
            for value in SigmaCorpusTests.jsonValues(bytes) {
                let input = DetectionInput(event: try GenericEventAdapter.parse(value, context: &context))
                #expect(Self.set.matches(input).map(\.id).sorted() == Self.set.matchesWithoutPrefilter(input).sorted(), "\(relative)")
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    /// Field-scoped needles: a needle only counts in its own field, but a value in the right
    /// field is never missed (EventID 29 in a hash must not trigger, in EventID it must).
    @Test func fieldScopedNeedles() throws {
        let set = try SigmaTestSupport.rule("""
            selection:
                CommandLine|contains: 'mimikatz'
            condition: selection
        """)
        #expect(SigmaTestSupport.ids(set, SigmaTestSupport.process(["CommandLine": "x MimiKatz y"])) == ["test-rule"])
        #expect(set.candidates(SigmaTestSupport.process(["Image": "mimikatz.exe", "CommandLine": "a"])).isEmpty)
        let keyword = try SigmaTestSupport.rule("""
            keywords:
                - 'sekurlsa::'
            condition: keywords
        """)
        #expect(SigmaTestSupport.ids(keyword, SigmaTestSupport.process(["Other": "x sekurlsa::logonpasswords"])) == ["test-rule"])
        let regex = try SigmaTestSupport.rule("""
            selection:
                CommandLine|re: '\\w+`(?:\\w+|-|.)`[\\w+|\\s]'
            condition: selection
        """)
        #expect(SigmaTestSupport.ids(regex, SigmaTestSupport.process(["CommandLine": "IN`V`o`Ke-eXp"])) == ["test-rule"])
        #expect(regex.candidates(SigmaTestSupport.process(["CommandLine": "plain"])).isEmpty)
    }
}

private extension SplitMix64 {
    /// True `percent` times in a hundred.
    mutating func percent(_ percent: Int) -> Bool { below(100) < percent }
}
