import Ingestion
import MWRASPCore

/// A compiled, immutable set of Sigma rules: the engine. Sendable; to change the rules,
/// build a new set (`adding`, `removing`) and swap it in.
///
/// Per event: derive the event's logsource and take its plan (the applicable rules, cached);
/// one Aho-Corasick pass over the document's values with the plan's automaton marks the
/// rules whose prefilter needles appear; those plus the plan's rules without a prefilter
/// are evaluated.
public struct SigmaRuleSet: Sendable {
    public let rules: [SigmaRule]
    let index: SigmaRuleIndex

    public init(rules: [SigmaRule] = []) {
        self.rules = rules
        self.index = SigmaRuleIndex(rules: rules)
    }

    /// A set with `added` too; a rule whose id is already present replaces the old one.
    public func adding(_ added: [SigmaRule]) -> SigmaRuleSet {
        let ids = Set(added.map(\.id))
        return SigmaRuleSet(rules: rules.filter { !ids.contains($0.id) } + added)
    }

    public func removing(id: String) -> SigmaRuleSet {
        SigmaRuleSet(rules: rules.filter { $0.id != id })
    }

    public func rule(id: String) -> SigmaRule? { rules.first { $0.id == id } }

    public var stats: SigmaRuleSetStats {
        SigmaRuleSetStats(rules: rules.count, fields: index.fieldPlans.count, logsources: index.logsources.count,
                          needles: index.needleCount, unfilteredRules: index.unfilteredCount,
                          cachedPlans: index.plans.count)
    }

    /// Sigma field resolution, as rules see it (SigmaFieldMapping).
    public func value(ofSigmaField name: String, in input: DetectionInput) -> String? {
        SigmaFieldMapping.value(ofSigmaField: name, in: input)
    }

    /// The rules that match `input`, in rule-set order.
    public func matches(_ input: DetectionInput) -> [SigmaMatch] {
        var out: [SigmaMatch] = []
        forEachMatch(input) { r, evaluator in
            let rule = rules[r]
            out.append(SigmaMatch(id: rule.id, name: rule.name, title: rule.title, severity: rule.severity,
                                  confidence: rule.confidence, indicators: evaluator.indicators(index.linked[r].detection)))
        }
        return out
    }

    /// One finding per matching rule: detector id = rule id, type sigma.
    public func findings(_ input: DetectionInput) -> [Finding] {
        matches(input).map { m in
            Finding(detectorID: m.id, type: .sigma, title: m.title, severity: m.severity, confidence: m.confidence,
                    indicators: m.indicators, eventIDs: [input.event.id], entities: Entities(of: input.event))
        }
    }

    /// The number of matching rules, without building matches (benchmarks).
    public func matchCount(_ input: DetectionInput) -> Int {
        var n = 0
        forEachMatch(input) { _, _ in n += 1 }
        return n
    }

    /// Diagnostics: the rules one event makes the engine evaluate (prefilter hits whose
    /// logsource applies, plus unfiltered rules).
    public func candidates(_ input: DetectionInput) -> [String] {
        var out: [String] = []
        forEachMatch(input, evaluate: false) { r, _ in out.append(rules[r].id) }
        return out
    }

    private func forEachMatch(_ input: DetectionInput, evaluate: Bool = true, _ body: (Int, SigmaEvaluator) -> Void) {
        guard !rules.isEmpty, let doc = input.document else { return }
        let view = SigmaEventView(input)
        let plan = index.plan(SigmaEventLogsource(view, dataset: input.event.dataset))
        guard plan.ruleCount > 0 else { return }
        let words = (rules.count + 63) >> 6
        var candidates = [UInt64](repeating: 0, count: words)
        // One pass: the byte ranges of every value (escaped strings decoded aside), one
        // automaton run over them, then the rules of the needles seen.
        var scratch = SigmaValueRanges()
        scratch.collect(doc)
        var hits: [Int32] = []
        let automaton = plan.automaton
        doc.bytes.withUnsafeBufferPointer { bytes in
            automaton.scan(bytes.baseAddress!, scratch.ranges, into: &hits)
            if !scratch.escapedRanges.isEmpty { automaton.scan(bytes.baseAddress!, scratch.escapedRanges, escaped: true, into: &hits) }
        }
        if !scratch.decoded.isEmpty {
            scratch.decoded.withUnsafeBufferPointer { automaton.scan($0.baseAddress!, scratch.decodedRanges, into: &hits) }
        }
        if !hits.isEmpty {
            var seen = [UInt64](repeating: 0, count: (plan.needleRules.count + 63) >> 6)
            plan.needleRules.withUnsafeBufferPointer { needleRules in
                for needle in hits {
                    let n = Int(needle)
                    let bit = UInt64(1) << UInt64(n & 63)
                    if seen[n >> 6] & bit != 0 { continue }
                    seen[n >> 6] |= bit
                    for r in needleRules[n] { candidates[Int(r) >> 6] |= UInt64(1) << UInt64(r & 63) }
                }
            }
        }
        for r in plan.unfiltered { candidates[Int(r) >> 6] |= UInt64(1) << UInt64(r & 63) }
        var evaluator: SigmaEvaluator?
        for w in 0..<words {
            var word = candidates[w]
            while word != 0 {
                let r = w << 6 | word.trailingZeroBitCount
                word &= word - 1
                let e = evaluator ?? SigmaEvaluator(view: view, plans: index.fieldPlans)
                evaluator = e
                if !evaluate || e.matches(index.linked[r].compiled) { body(r, e) }
            }
        }
    }
}

