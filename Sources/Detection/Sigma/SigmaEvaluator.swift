import MWRASPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates linked rules against one event. Each field is resolved at most once per event
/// (a small cache: only the few candidate rules ask for fields), and the keyword value list
/// is built only if a keyword rule is evaluated.
///
/// One per event, and small: its tables and buffers live in a `SigmaEvaluatorScratch`
/// reused from event to event. The event's view is a `let`, so that reading it never
/// copies it (a `var` would be retained and released at every field lookup).
final class SigmaEvaluator {
    let view: SigmaEventView
    let plans: [SigmaFieldPlan]
    /// `plans` unretained, for `locate` (the rule index keeps them alive): shared by both cores.
    private let planRefs: [Unmanaged<SigmaFieldPlan>]
    let keys: SigmaKeyTable?
    let scratch: SigmaEvaluatorScratch

    /// `scratch`: fresh, or reset for this event.
    /// `planRefs`: `plans` unretained, when the caller keeps them (the rule index does).
    init(view: SigmaEventView, plans: [SigmaFieldPlan], planRefs: [Unmanaged<SigmaFieldPlan>]? = nil, keys: SigmaKeyTable? = nil,
         scratch: SigmaEvaluatorScratch? = nil) {
        self.view = view
        self.plans = plans
        self.planRefs = planRefs ?? plans.map { Unmanaged.passUnretained($0) }
        self.keys = keys
        self.scratch = scratch ?? SigmaEvaluatorScratch(slots: plans.count)
    }

    /// The node field `slot` resolves to, nil when absent (SigmaEventView.locate, with the
    /// EventData members indexed once per event).
    private func locate(_ slot: Int32) -> Int? {
        if !scratch.eventDataIndexed { indexEventData() }
        if scratch.eventDataKnown {
            let node = scratch.eventDataNodes[Int(slot)]
            if node >= 0 { return Int(node) }
            let spaced = scratch.eventDataHasSpacedKey
            return planRefs[Int(slot)]._withUnsafeGuaranteedRef { view.locate($0, skipEventDataName: true, spacedKeys: spaced) }
        }
        return planRefs[Int(slot)]._withUnsafeGuaranteedRef { view.locate($0) }
    }

    func resolve(_ slot: Int32) -> SigmaResolved {
        let cached = scratch.cacheIndex[Int(slot)]
        if cached >= 0 { return scratch.cachedValues[Int(cached)] }
        let value: SigmaResolved
        if let doc = view.document, let node = locate(slot) { value = view.texts(doc, node) } else { value = .absent }
        scratch.cacheIndex[Int(slot)] = Int32(scratch.cachedValues.count)
        scratch.cachedValues.append(value)
        return value
    }

    /// Field `slot` resolved into the arena (cached): what text items match against.
    func flat(_ slot: Int32) -> SigmaFlatField {
        let cached = scratch.flatIndex[Int(slot)]
        if cached >= 0 { return scratch.flatFields[Int(cached)] }
        let field: SigmaFlatField
        if let doc = view.document, let node = locate(slot) { field = scratch.arena.append(doc, node) } else { field = .absent }
        scratch.flatIndex[Int(slot)] = Int32(scratch.flatFields.count)
        scratch.flatFields.append(field)
        return field
    }

    /// Runs `automaton` over the values of field `slot`, appending needle ids to `hits`. The
    /// common case (a Windows EventData member, a string or number) scans the document bytes
    /// in place, building no value; other cases resolve the field into the arena (kept for
    /// evaluation).
    func scan(_ slot: Int32, _ automaton: SigmaAhoCorasick, into hits: inout [Int32]) {
        if scratch.flatIndex[Int(slot)] < 0 {
            if !scratch.eventDataIndexed { indexEventData() }
            if scratch.eventDataKnown, let doc = view.document {
                let node = Int(scratch.eventDataNodes[Int(slot)])
                if node >= 0 {
                    let n = doc.nodes[node]
                    let inPlace: Bool
                    switch n.kind {
                    case .number: inPlace = true
                    case .string: inPlace = !n.escaped || !SigmaValueRanges.hasUnicodeEscape(doc.bytes, Int(n.start), Int(n.end))
                    default: inPlace = false
                    }
                    if inPlace {
                        doc.bytes.withUnsafeBufferPointer { bytes in
                            let value = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[Int(n.start)..<Int(n.end)])
                            scratch.scanMemo.hits(automaton: automaton.id, escaped: n.escaped, value, into: &hits) { hits in
                                automaton.scan(bytes.baseAddress!, Int(n.start), Int(n.end), escaped: n.escaped, into: &hits)
                            }
                        }
                        return
                    }
                }
            }
        }
        let field = flat(slot)
        guard field.state == .values, field.count > 0 else { return }
        scratch.arena.raw.withUnsafeBufferPointer { raw in
            scratch.arena.spans.withUnsafeBufferPointer { spans in
                guard let base = raw.baseAddress else { return }  // only empty values
                for v in Int(field.first)..<Int(field.first + field.count) {
                    let span = spans[v]
                    let value = UnsafeRawBufferPointer(start: base + Int(span.x), count: Int(span.y))
                    scratch.scanMemo.hits(automaton: automaton.id, escaped: false, value, into: &hits) { hits in
                        automaton.scan(base, Int(span.x), Int(span.x + span.y), escaped: false, into: &hits)
                    }
                }
            }
        }
    }

    /// One pass over a Windows record's EventData: each key that is a field name of the rule
    /// set gets its member (the last one with that name, as `SigmaEventView.member` finds).
    /// Records with escaped keys keep the general path.
    private func indexEventData() {
        scratch.eventDataIndexed = true
        guard let keys, let doc = view.document, let eventData = view.eventData else { return }
        var spaced = false
        scratch.eventDataDirty = true
        let ok: Bool = scratch.eventDataNodes.withUnsafeMutableBufferPointer { nodes in
            doc.nodes.withUnsafeBufferPointer { tape in
                doc.bytes.withUnsafeBufferPointer { bytes in
                    var child = eventData + 1
                    let end = Int(tape[eventData].next)
                    while child < end {
                        let key = tape[child]
                        if key.escaped { return false }
                        let name = UnsafeBufferPointer(rebasing: bytes[Int(key.start)..<Int(key.end)])
                        if !spaced && name.contains(0x20) { spaced = true }
                        let slot = keys.lookup(name)
                        if slot >= 0 { nodes[Int(slot)] = Int32(child + 1) }
                        child = Int(tape[child + 1].next)
                    }
                    return true
                }
            }
        }
        guard ok else { return }
        scratch.eventDataKnown = true
        scratch.eventDataHasSpacedKey = spaced
    }

    private func values(_ item: SigmaFieldItem) -> SigmaResolved {
        if item.field == nil {
            if scratch.keywordValues == nil { scratch.keywordValues = view.allValues() }
            return .values(scratch.keywordValues!)
        }
        return resolve(item.slot)
    }

    func matches(_ d: SigmaDetection) -> Bool { evaluate(d.condition, d) }

    func evaluate(_ c: SigmaCondition, _ d: SigmaDetection) -> Bool {
        switch c {
        case .selection(let i): return matches(d.selections[i])
        case .not(let inner): return !evaluate(inner, d)
        case .and(let terms): return terms.allSatisfy { evaluate($0, d) }
        case .or(let terms): return terms.contains { evaluate($0, d) }
        }
    }

    func matches(_ s: SigmaSelection) -> Bool {
        switch s {
        case .all(let items): return items.allSatisfy(matches)
        case .any(let alternatives): return alternatives.contains { matches($0) }
        }
    }

    /// The hot path: no strings built.
    func matches(_ item: SigmaFieldItem) -> Bool {
        if let textRef = item.textRef, item.field != nil {
            // Plain text patterns on a field: matched on the arena, no value objects.
            let field = flat(item.slot)
            guard field.state == .values else { return false }
            return scratch.arena.raw.withUnsafeBufferPointer { raw in
                scratch.arena.folded.withUnsafeBufferPointer { folded in
                    scratch.arena.spans.withUnsafeBufferPointer { spans in
                        textRef._withUnsafeGuaranteedRef { text in
                            text.matches(all: item.matchAll, raw, folded,
                                         UnsafeBufferPointer(rebasing: spans[Int(field.first)..<Int(field.first + field.count)]))
                        }
                    }
                }
            }
        }
        if let regexes = item.regexes, item.field != nil {
            // Regexes on a field: on the arena too (same rule as text: any/all patterns
            // matching some value).
            let field = flat(item.slot)
            guard field.state == .values else { return false }
            return scratch.arena.raw.withUnsafeBufferPointer { raw in
                scratch.arena.folded.withUnsafeBufferPointer { folded in
                    scratch.arena.spans.withUnsafeBufferPointer { spans in
                        let values = UnsafeBufferPointer(rebasing: spans[Int(field.first)..<Int(field.first + field.count)])
                        func some(_ r: SigmaRegexPattern) -> Bool {
                            values.contains { span in
                                let range = Int(span.x)..<Int(span.x + span.y)
                                return r.matches(UnsafeBufferPointer(rebasing: raw[range]), UnsafeBufferPointer(rebasing: folded[range]))
                            }
                        }
                        return item.matchAll ? regexes.allSatisfy(some) : regexes.contains(where: some)
                    }
                }
            }
        }
        if let refs = item.fieldRefs, item.field != nil { return matchesFieldRefs(item, refs) }
        let resolved = values(item)
        if let text = item.text {
            guard case .values(let values) = resolved else { return false }
            return item.matchAll ? text.matchesAll(values) : text.matchesAny(values)
        }
        if item.matchAll { return item.patterns.allSatisfy { matches($0, resolved) } }
        return item.patterns.contains { matches($0, resolved) }
    }

    /// `Field|fieldref: Other` on the arena: as `matchesValue` does for `.fieldRef` on value
    /// objects, some value of the field equals (ASCII-folded) some value of the other field;
    /// with `|all`, for every referenced field.
    private func matchesFieldRefs(_ item: SigmaFieldItem, _ refs: [Int32]) -> Bool {
        let field = flat(item.slot)
        guard field.state == .values else { return false }
        func equalsSome(_ other: SigmaFlatField) -> Bool {
            guard other.state == .values else { return false }
            return scratch.arena.folded.withUnsafeBufferPointer { folded in
                scratch.arena.spans.withUnsafeBufferPointer { spans in
                    for v in Int(field.first)..<Int(field.first + field.count) {
                        for w in Int(other.first)..<Int(other.first + other.count) where spans[v].y == spans[w].y {
                            let length = Int(spans[v].y)
                            if length == 0 || memcmp(folded.baseAddress! + Int(spans[v].x), folded.baseAddress! + Int(spans[w].x), length) == 0 {
                                return true
                            }
                        }
                    }
                    return false
                }
            }
        }
        // Each referenced field is resolved (flat appends to the arena) before its buffers are read.
        if item.matchAll {
            for slot in refs where !equalsSome(flat(slot)) { return false }
            return true
        }
        for slot in refs where equalsSome(flat(slot)) { return true }
        return false
    }

    private func matches(_ p: SigmaPattern, _ resolved: SigmaResolved) -> Bool {
        switch p {
        case .null:
            if case .values = resolved { return false }
            return true
        case .exists(let wanted):
            if case .absent = resolved { return !wanted }
            return wanted
        case .never:
            return false
        case .anyOf(let ps):
            return ps.contains { matches($0, resolved) }
        default:
            guard case .values(let values) = resolved else { return false }
            return values.contains { matchesValue(p, $0) }
        }
    }

    /// nil when the item does not match; otherwise the event value that matched (empty for
    /// absence tests), for indicators.
    func matchedValue(_ item: SigmaFieldItem) -> String? {
        let resolved = values(item)
        if item.matchAll {
            var first: String?
            for p in item.patterns {
                guard let v = match(p, resolved) else { return nil }
                if first == nil { first = v }
            }
            return first ?? ""
        }
        for p in item.patterns {
            if let v = match(p, resolved) { return v }
        }
        return nil
    }

    private func match(_ p: SigmaPattern, _ resolved: SigmaResolved) -> String? {
        switch p {
        case .null:
            switch resolved {
            case .absent, .null: return ""
            case .values: return nil
            }
        case .exists(let wanted):
            let present: Bool
            if case .absent = resolved { present = false } else { present = true }
            return present == wanted ? "" : nil
        case .never:
            return nil
        case .anyOf(let ps):
            for q in ps { if let v = match(q, resolved) { return v } }
            return nil
        default:
            guard case .values(let values) = resolved else { return nil }
            for value in values where matchesValue(p, value) {
                return String(decoding: value.bytes, as: UTF8.self)
            }
            return nil
        }
    }

    private func matchesValue(_ p: SigmaPattern, _ value: SigmaValueText) -> Bool {
        switch p {
        case .text(let t): return t.matches(value)
        case .regex(let r): return r.matches(value)
        case .cidr(let c): return c.contains(value)
        case .compare(let op, let number):
            guard let v = Double(String(decoding: value.bytes, as: UTF8.self)) else { return false }
            return op.holds(v, number)
        case .fieldRef(_, let slot):
            guard case .values(let others) = resolve(slot) else { return false }
            return others.contains { $0.folded == value.folded }
        case .null, .exists, .never, .anyOf: return false
        }
    }

    /// The evidence of a matched rule: for each selection that holds and is not negated,
    /// its items as `Field|modifiers` = the event value (keywords: the value that hit).
    func indicators(_ d: SigmaDetection) -> [Indicator] {
        var out: [Indicator] = []
        var seen = Set<Int>()
        func collect(_ c: SigmaCondition) {
            switch c {
            case .selection(let i):
                guard seen.insert(i).inserted, matches(d.selections[i]) else { return }
                collect(d.selections[i])
            case .not: return
            case .and(let terms), .or(let terms): terms.forEach(collect)
            }
        }
        func collect(_ s: SigmaSelection) {
            switch s {
            case .all(let items):
                for item in items {
                    if let v = matchedValue(item) { out.append(Indicator(name: item.key, value: v)) }
                }
            case .any(let alternatives):
                if let hit = alternatives.first(where: matches) { collect(hit) }
            }
        }
        collect(d.condition)
        return out
    }
}
