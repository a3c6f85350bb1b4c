import Synchronization

/// What one kind of event (one derived logsource) can match: the rules whose logsource
/// applies, an Aho-Corasick automaton over only their needles, and those of them without a
/// prefilter. Built on first sight of a logsource and cached in the index: an event then
/// scans with a small automaton, and an event no rule applies to (a flat SIEM alert) costs
/// nothing beyond its logsource.
final class SigmaPlan: Sendable {
    let ruleCount: Int
    let automaton: SigmaAhoCorasick
    /// Local needle id -> global rule indices.
    let needleRules: [[Int32]]
    let unfiltered: [Int32]

    init(index: SigmaRuleIndex, logsource: SigmaEventLogsource) {
        let applicable = index.applicable(logsource)
        var needleIDs: [[UInt8]: Int32] = [:]
        var needles: [[UInt8]] = []
        var needleRules: [[Int32]] = []
        var unfiltered: [Int32] = []
        var count = 0
        for (r, rule) in index.linked.enumerated() where applicable[Int(rule.logsource)] {
            count += 1
            guard let set = index.ruleNeedles[r] else {
                unfiltered.append(Int32(r))
                continue
            }
            for needle in set {
                let id: Int32
                if let known = needleIDs[needle] { id = known } else {
                    id = Int32(needles.count)
                    needleIDs[needle] = id
                    needles.append(needle)
                    needleRules.append([])
                }
                needleRules[Int(id)].append(Int32(r))
            }
        }
        self.ruleCount = count
        self.automaton = SigmaAhoCorasick(needles: needles)
        self.needleRules = needleRules
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
