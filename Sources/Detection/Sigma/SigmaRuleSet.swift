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

    /// Diagnostics and tests: the ids of the matching rules found by evaluating every rule
    /// whose logsource applies, without any prefilter (what `matches` must agree with).
    public func matchesWithoutPrefilter(_ input: DetectionInput) -> [String] {
        guard !rules.isEmpty, input.document != nil else { return [] }
        let view = SigmaEventView(input)
        let applicable = index.applicable(SigmaEventLogsource(view, dataset: input.event.dataset))
        let evaluator = SigmaEvaluator(view: view, plans: index.fieldPlans)
        var out: [String] = []
        for (r, rule) in index.linked.enumerated() where applicable[Int(rule.logsource)] {
            if evaluator.matches(rule.compiled) { out.append(rules[r].id) }
        }
        return out
    }

    private func forEachMatch(_ input: DetectionInput, evaluate: Bool = true, _ body: (Int, SigmaEvaluator) -> Void) {
        guard !rules.isEmpty, let doc = input.document else { return }
        let view = SigmaEventView(input)
        let plan = index.rawPlans.plan(view, index, dataset: input.event.dataset)
            ?? index.plan(SigmaEventLogsource(view, dataset: input.event.dataset))
        guard plan.ruleCount > 0 else { return }
        // The evaluator's tables and the buffers below come from the pool and go back to it.
        let scratch = index.evaluators.take(slots: index.fieldPlans.count)
        defer { index.evaluators.give(scratch) }
        let evaluator = SigmaEvaluator(view: view, plans: index.fieldPlans, planRefs: index.fieldPlanRefs, keys: index.keyTable, scratch: scratch)
        let words = (rules.count + 63) >> 6
        var candidates: [UInt64] = []
        var hits: [Int32] = []
        var decoded: [UInt8] = []
        swap(&candidates, &scratch.candidates)
        swap(&hits, &scratch.hits)
        swap(&decoded, &scratch.keywordBytes)
        defer {
            swap(&candidates, &scratch.candidates)
            swap(&hits, &scratch.hits)
            swap(&decoded, &scratch.keywordBytes)
        }
        candidates.removeAll(keepingCapacity: true)
        candidates.append(contentsOf: repeatElement(0, count: words))
        hits.removeAll(keepingCapacity: true)
        func mark(_ scan: SigmaPlan.FieldScan) {
            guard !hits.isEmpty else { return }
            scan.mark(hits, in: &candidates)
            hits.removeAll(keepingCapacity: true)
        }
        // Field needles: only the values of the field each needle belongs to are scanned
        // (in place on the document bytes when possible, else resolved once and cached).
        // By index into the buffer: a `for scan in` loop would copy (retain) every FieldScan.
        plan.fields.withUnsafeBufferPointer { fields in
            for f in fields.indices {
                let slot = fields[f].slot
                fields[f].automatonRef._withUnsafeGuaranteedRef { evaluator.scan(slot, $0, into: &hits) }
                if !hits.isEmpty {
                    fields[f].mark(hits, in: &candidates)
                    hits.removeAll(keepingCapacity: true)
                }
            }
        }
        // Keyword needles: every value of the document (escaped strings decoded aside).
        if let keywords = plan.keywords, let skip = keywords.skip {
            skip.scanDocument(doc, into: &hits, decoded: &decoded)
            mark(keywords)
        } else if let keywords = plan.keywords {
            var scratch = SigmaValueRanges()
            scratch.collect(doc)
            let automaton = keywords.automaton
            doc.bytes.withUnsafeBufferPointer { bytes in
                automaton.scan(bytes.baseAddress!, scratch.ranges, into: &hits)
                if !scratch.escapedRanges.isEmpty { automaton.scan(bytes.baseAddress!, scratch.escapedRanges, escaped: true, into: &hits) }
            }
            if !scratch.decoded.isEmpty {
                scratch.decoded.withUnsafeBufferPointer { automaton.scan($0.baseAddress!, scratch.decodedRanges, into: &hits) }
            }
            mark(keywords)
        }
        for r in plan.unfiltered { candidates[Int(r) >> 6] |= UInt64(1) << UInt64(r & 63) }
        index.compiledRefs.withUnsafeBufferPointer { compiled in
            for w in 0..<words {
                var word = candidates[w]
                while word != 0 {
                    let r = w << 6 | word.trailingZeroBitCount
                    word &= word - 1
                    if !evaluate || compiled[r]._withUnsafeGuaranteedRef({ evaluator.matches($0) }) { body(r, evaluator) }
                }
            }
        }
    }
}
