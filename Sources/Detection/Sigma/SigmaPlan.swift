import Synchronization

/// What one kind of event (one derived logsource) can match: the rules whose logsource
/// applies, an Aho-Corasick automaton over only their needles, and those of them without a
/// prefilter. Built on first sight of a logsource and cached in the index: an event then
/// scans with a small automaton, and an event no rule applies to (a flat SIEM alert) costs
/// nothing beyond its logsource.
final class SigmaPlan: Sendable {
    /// The needles of one field (slot -1: keyword needles, scanned over every value of the
    /// document): an automaton over them, and local needle id -> global rule indices.
    struct FieldScan: Sendable {
        let slot: Int32
        let automaton: SigmaAhoCorasick
        let needleRules: [[Int32]]
    }

    let ruleCount: Int
    /// Per field slot (>= 0), in slot order: only those fields' values are scanned.
    let fields: [FieldScan]
    let keywords: FieldScan?
    let unfiltered: [Int32]

    init(index: SigmaRuleIndex, logsource: SigmaEventLogsource) {
        let applicable = index.applicable(logsource)
        struct Builder {
            var ids: [[UInt8]: Int32] = [:]
            var needles: [[UInt8]] = []
            var rules: [[Int32]] = []
        }
        // builders[slot + 1]: slot -1 (keywords) first.
        var builders = [Builder](repeating: Builder(), count: index.fieldPlans.count + 1)
        var unfiltered: [Int32] = []
        var count = 0
        for (r, rule) in index.linked.enumerated() where applicable[Int(rule.logsource)] {
            count += 1
            guard let set = index.ruleNeedles[r] else {
                unfiltered.append(Int32(r))
                continue
            }
            for needle in set {
                let b = Int(needle.slot) + 1
                let id: Int32
                if let known = builders[b].ids[needle.bytes] { id = known } else {
                    id = Int32(builders[b].needles.count)
                    builders[b].ids[needle.bytes] = id
                    builders[b].needles.append(needle.bytes)
                    builders[b].rules.append([])
                }
                if builders[b].rules[Int(id)].last != Int32(r) { builders[b].rules[Int(id)].append(Int32(r)) }
            }
        }
        self.ruleCount = count
        self.fields = builders.indices.dropFirst().filter { !builders[$0].needles.isEmpty }.map { b in
            FieldScan(slot: Int32(b - 1), automaton: SigmaAhoCorasick(needles: builders[b].needles), needleRules: builders[b].rules)
        }
        self.keywords = builders[0].needles.isEmpty ? nil
            : FieldScan(slot: -1, automaton: SigmaAhoCorasick(needles: builders[0].needles), needleRules: builders[0].rules)
        self.unfiltered = unfiltered
    }
}

/// The cache key of a plan: an event's derived logsource.
struct SigmaPlanKey: Hashable, Sendable {
    let product: String?
    let service: String?
    let categories: [String]
}

/// Plans by logsource, shared by all threads. Bounded: past `limit` distinct logsources
/// (hostile or very varied senders), plans are built per event and not kept.
final class SigmaPlanCache: Sendable {
    private let plans = Mutex<[SigmaPlanKey: SigmaPlan]>([:])
    private let limit = 512

    func plan(_ logsource: SigmaEventLogsource, _ index: SigmaRuleIndex) -> SigmaPlan {
        let key = SigmaPlanKey(product: logsource.product, service: logsource.service, categories: logsource.categories)
        if let plan = plans.withLock({ $0[key] }) { return plan }
        let plan = SigmaPlan(index: index, logsource: logsource)
        plans.withLock { plans in
            if plans.count < limit { plans[key] = plans[key] ?? plan }
        }
        return plan
    }

    var count: Int { plans.withLock { $0.count } }
}
