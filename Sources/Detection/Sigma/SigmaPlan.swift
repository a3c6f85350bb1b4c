import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        /// `automaton` unretained, for the per-event scan (this scan keeps it alive): both
        /// cores scan with the same automata, and a retain/release pair per field per event
        /// was an atomic write to a cache line shared between them.
        let automatonRef: Unmanaged<SigmaAhoCorasick>
        /// Needle id n -> its rules `ruleList[ruleStart[n] ..< ruleStart[n + 1]]` (one flat
        /// list rather than an array per needle: marking hits retains nothing).
        let ruleStart: [Int32]
        let ruleList: [Int32]
        /// Keywords only: a skip-ahead search over the raw document, when the needles allow.
        var skip: SigmaSkipScanner? = nil

        init(slot: Int32, automaton: SigmaAhoCorasick, needleRules: [[Int32]], skip: SigmaSkipScanner? = nil) {
            self.slot = slot
            self.automaton = automaton
            self.automatonRef = Unmanaged.passUnretained(automaton)
            var starts: [Int32] = [0]
            starts.reserveCapacity(needleRules.count + 1)
            for rules in needleRules { starts.append(starts.last! + Int32(rules.count)) }
            self.ruleStart = starts
            self.ruleList = needleRules.flatMap { $0 }
            self.skip = skip
        }

        /// Sets the bit of every rule of the needles in `hits`.
        @inline(__always)
        func mark(_ hits: [Int32], in candidates: inout [UInt64]) {
            ruleStart.withUnsafeBufferPointer { starts in
                ruleList.withUnsafeBufferPointer { list in
                    candidates.withUnsafeMutableBufferPointer { bits in
                        for needle in hits {
                            for k in Int(starts[Int(needle)])..<Int(starts[Int(needle) + 1]) {
                                let r = list[k]
                                bits[Int(r) >> 6] |= UInt64(1) << UInt64(r & 63)
                            }
                        }
                    }
                }
            }
        }
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
            : FieldScan(slot: -1, automaton: SigmaAhoCorasick(needles: builders[0].needles), needleRules: builders[0].rules,
                        skip: SigmaSkipScanner(needles: builders[0].needles))
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

/// Windows records: plans by the raw bytes their logsource derives from (channel, provider,
/// event id, EventData.EventType), so that the common event builds no String and hashes no
/// String key. Only plain values (unescaped strings, numbers) and unescaped keys qualify;
/// anything else, and documents with top-level `logsource...` keys, take the general path.
final class SigmaRawPlanCache: Sendable {
    private struct Entry: Sendable {
        let key: [UInt8]
        let plan: SigmaPlan
    }
    private let entries = Mutex<[UInt64: Entry]>([:])
    private let limit = 512

    /// The byte spans (start, end) of the record's logsource values, or nil when not eligible.
    /// Runs for every Windows event: walks the tape with raw pointers, building nothing per key.
    private static func spans(_ view: SigmaEventView) -> [SIMD2<Int32>]? {
        guard let doc = view.document, let system = view.system else { return nil }
        return doc.nodes.withUnsafeBufferPointer { tape in
            doc.bytes.withUnsafeBufferPointer { bytes -> [SIMD2<Int32>]? in
                var out: [SIMD2<Int32>] = []
                out.reserveCapacity(4)
                var ok = true
                /// The value of the last member named `name` (nil when none, or `object` is not
                /// an object); an escaped key makes the record ineligible.
                func member(_ object: Int, _ name: StaticString) -> Int? {
                    guard ok, tape[object].kind == .object else { return nil }
                    var found: Int?
                    let nameBytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
                    JSONTapeMembers.forEach(tape, of: object) { key, value in
                        if key.escaped {
                            ok = false
                            return false
                        }
                        if JSONTapeMembers.keyEquals(key, bytes, nameBytes) { found = value }
                        return true
                    }
                    return ok ? found : nil
                }
                func add(_ node: Int?) {
                    guard let node else { out.append(SIMD2(-1, -1)); return }
                    let n = tape[node]
                    switch n.kind {
                    case .string where !n.escaped, .number: out.append(SIMD2(Int32(n.start), Int32(n.end)))
                    default: ok = false
                    }
                }
                add(member(system, "Channel"))
                let provider = member(system, "Provider")
                var name: Int?
                if let provider {
                    if let attributes = member(provider, "#attributes") { name = member(attributes, "Name") }
                    if name == nil { name = member(provider, "Name") }
                }
                add(name)
                add(member(system, "EventID"))
                if let data = view.eventData { add(member(data, "EventType")) } else { add(nil) }
                // Top-level keys: a `logsource...` one states the logsource explicitly.
                let root = doc.root
                var child = root + 1
                let end = Int(tape[root].next)
                while ok && child < end {
                    let key = tape[child]
                    child = Int(tape[child + 1].next)
                    if key.escaped { ok = false; break }
                    if Int(key.end - key.start) >= 9 && memcmp(bytes.baseAddress! + Int(key.start), "logsource", 9) == 0 { ok = false }
                }
                return ok ? out : nil
            }
        }
    }

    /// The plan of a Windows record, or nil when the general path must decide.
    func plan(_ view: SigmaEventView, _ index: SigmaRuleIndex, dataset: @autoclosure () -> String?) -> SigmaPlan? {
        guard let spans = Self.spans(view), let doc = view.document else { return nil }
        return doc.bytes.withUnsafeBufferPointer { bytes -> SigmaPlan in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for s in spans {
                if s.x >= 0 {
                    for i in Int(s.x)..<Int(s.y) { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3 }
                    h = (h ^ 0x100) &* 0x100_0000_01b3
                } else {
                    h = (h ^ 0x200) &* 0x100_0000_01b3
                }
            }
            func sameKey(_ key: [UInt8]) -> Bool {
                // key: per span, a length byte pair (0xFFFF absent) then the bytes.
                var k = 0
                for s in spans {
                    guard k + 2 <= key.count else { return false }
                    let length = Int(key[k]) << 8 | Int(key[k + 1])
                    k += 2
                    if s.x < 0 { if length != 0xFFFF { return false }; continue }
                    let n = Int(s.y - s.x)
                    guard length == n, k + n <= key.count else { return false }
                    for i in 0..<n where key[k + i] != bytes[Int(s.x) + i] { return false }
                    k += n
                }
                return k == key.count
            }
            if let entry = entries.withLock({ $0[h] }), sameKey(entry.key) { return entry.plan }
            let plan = index.plan(SigmaEventLogsource(view, dataset: dataset()))
            var key: [UInt8] = []
            var storable = true
            for s in spans {
                if s.x < 0 { key += [0xFF, 0xFF]; continue }
                let n = Int(s.y - s.x)
                if n >= 0xFFFF { storable = false; break }
                key += [UInt8(n >> 8), UInt8(n & 0xFF)]
                key += bytes[Int(s.x)..<Int(s.y)]
            }
            if storable {
                entries.withLock { entries in
                    if entries.count < limit && entries[h] == nil { entries[h] = Entry(key: key, plan: plan) }
                }
            }
            return plan
        }
    }
}
