/// The compiled, immutable lookup structures of a rule set, built once per set:
/// - field slots: every field name any rule uses gets a slot, resolved at most once per event;
/// - logsources: each distinct (product, service, category) of the rules is interned, so an
///   event decides once which of them apply to it;
/// - the prefilter needles of every rule (SigmaPrefilter); per event logsource, a
///   `SigmaPlan` turns the applicable rules' needles into one Aho-Corasick automaton.
final class SigmaRuleIndex: Sendable {
    struct LinkedRule: Sendable {
        let detection: SigmaDetection
        let compiled: SigmaCompiledDetection
        let logsource: Int32      // index into `logsources`
    }

    let linked: [LinkedRule]
    /// `linked[r].compiled`, on its own: the hot loop reads it without copying a LinkedRule
    /// (whose SigmaDetection holds several arrays to retain).
    let compiled: [SigmaCompiledDetection]
    /// `compiled` unretained, for the hot loop: `compiled` keeps them alive as long as the
    /// index. Both cores judge events against the same rules, so a retain/release pair per
    /// candidate rule was an atomic write to a cache line the other core also writes.
    let compiledRefs: [Unmanaged<SigmaCompiledDetection>]
    let fieldPlans: [SigmaFieldPlan]
    /// `fieldPlans` unretained, for the evaluators (see `compiledRefs`).
    let fieldPlanRefs: [Unmanaged<SigmaFieldPlan>]
    /// Field name bytes -> slot, for resolving Windows EventData fields in one pass.
    let keyTable: SigmaKeyTable
    let logsources: [SigmaLogsource]
    /// Per rule: its prefilter needles (truncated), nil when it has none.
    let ruleNeedles: [[SigmaNeedle]?]
    let unfilteredCount: Int
    let needleCount: Int
    let plans = SigmaPlanCache()
    let rawPlans = SigmaRawPlanCache()
    let evaluators = SigmaEvaluatorPool()

    init(rules: [SigmaRule]) {
        var slots: [String: Int32] = [:]
        var plans: [SigmaFieldPlan] = []
        func slot(_ name: String) -> Int32 {
            if let s = slots[name] { return s }
            let s = Int32(plans.count)
            slots[name] = s
            plans.append(SigmaFieldPlan(name))
            return s
        }
        func link(_ p: SigmaPattern) -> SigmaPattern {
            switch p {
            case .fieldRef(let name, _): return .fieldRef(name: name, slot: slot(name))
            case .anyOf(let ps): return .anyOf(ps.map(link))
            default: return p
            }
        }
        func link(_ s: SigmaSelection) -> SigmaSelection {
            switch s {
            case .any(let alternatives): return .any(alternatives.map(link))
            case .all(let items):
                let linkedItems = items.map { item in
                    let patterns = item.patterns.map(link)
                    return SigmaFieldItem(field: item.field, slot: item.field.map(slot) ?? -1, key: item.key,
                                          matchAll: item.matchAll, patterns: patterns, text: SigmaTextMatcher(patterns))
                }
                return .all(linkedItems.sorted { $0.cost < $1.cost })
            }
        }
        var logsourceIndex: [SigmaLogsource: Int32] = [:]
        var logsources: [SigmaLogsource] = []
        var linked: [LinkedRule] = []
        var ruleNeedles: [[SigmaNeedle]?] = []
        var distinct = Set<SigmaNeedle>()
        for rule in rules {
            var detection = rule.detection
            detection.selections = detection.selections.map(link)
            detection.condition = SigmaRuleIndex.cheapFirst(detection.condition, detection)
            let ls: Int32
            if let known = logsourceIndex[rule.logsource] { ls = known } else {
                ls = Int32(logsources.count)
                logsourceIndex[rule.logsource] = ls
                logsources.append(rule.logsource)
            }
            linked.append(LinkedRule(detection: detection, compiled: SigmaCompiledDetection(detection), logsource: ls))
            let needles = SigmaPrefilter.needles(detection).map {
                Array($0).sorted { ($0.slot, $0.bytes.count) < ($1.slot, $1.bytes.count) || ($0.slot == $1.slot && $0.bytes.count == $1.bytes.count && $0.bytes.lexicographicallyPrecedes($1.bytes)) }
            }
            ruleNeedles.append(needles)
            distinct.formUnion(needles ?? [])
        }
        self.linked = linked
        self.compiled = linked.map(\.compiled)
        self.compiledRefs = compiled.map { Unmanaged.passUnretained($0) }
        self.fieldPlans = plans
        self.fieldPlanRefs = plans.map { Unmanaged.passUnretained($0) }
        self.keyTable = SigmaKeyTable(plans.enumerated().map { ($0.element.nameBytes, Int32($0.offset)) })
        self.logsources = logsources
        self.ruleNeedles = ruleNeedles
        self.unfilteredCount = ruleNeedles.filter { $0 == nil }.count
        self.needleCount = distinct.count
    }

    /// Reorders AND/OR operands by estimated cost (pure operators: same result, less work).
    static func cheapFirst(_ c: SigmaCondition, _ d: SigmaDetection) -> SigmaCondition {
        switch c {
        case .selection: return c
        case .not(let inner): return .not(cheapFirst(inner, d))
        case .and(let terms): return .and(terms.map { cheapFirst($0, d) }.sorted { cost($0, d) < cost($1, d) })
        case .or(let terms): return .or(terms.map { cheapFirst($0, d) }.sorted { cost($0, d) < cost($1, d) })
        }
    }

    static func cost(_ c: SigmaCondition, _ d: SigmaDetection) -> Int {
        switch c {
        case .selection(let i): return cost(d.selections[i])
        case .not(let inner): return cost(inner, d)
        case .and(let terms), .or(let terms): return terms.reduce(0) { $0 + cost($1, d) }
        }
    }

    static func cost(_ s: SigmaSelection) -> Int {
        switch s {
        case .all(let items): return items.reduce(0) { $0 + $1.cost }
        case .any(let alternatives): return alternatives.reduce(0) { $0 + cost($1) }
        }
    }

    func plan(_ logsource: SigmaEventLogsource) -> SigmaPlan { plans.plan(logsource, self) }

    /// Which interned logsources apply to an event with `event`'s logsource.
    func applicable(_ event: SigmaEventLogsource) -> [Bool] {
        logsources.map { ls in
            (ls.product == nil || ls.product == event.product)
                && (ls.service == nil || ls.service == event.service)
                && (ls.category == nil || event.categories.contains(ls.category!))
        }
    }
}
