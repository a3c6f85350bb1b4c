/// The compiled `detection` section of a rule: named selections and one condition tree
/// (several `condition` entries are OR-ed, as the Sigma spec says).
struct SigmaDetection: Sendable {
    var selectionNames: [String]
    var selections: [SigmaSelection]
    var condition: SigmaCondition
}

/// A parsed `condition`: selection references by index, `1 of`/`all of` already expanded.
indirect enum SigmaCondition: Sendable {
    case selection(Int)
    case and([SigmaCondition])
    case or([SigmaCondition])
    case not(SigmaCondition)
}

/// One search identifier's body: a map is an AND of field items; a list of maps is an OR of
/// them; a list of plain values is a keyword search (an OR over the values, in any field).
indirect enum SigmaSelection: Sendable {
    case all([SigmaFieldItem])
    case any([SigmaSelection])
}

/// `Field|mod|mod: value(s)`. Values are OR-ed, or AND-ed with `|all`. `field == nil` is a
/// keyword item: it matches any scalar value of the whole document. A class: evaluation
/// passes items around by reference (one retain) instead of copying their arrays.
final class SigmaFieldItem: Sendable {
    let field: String?
    /// Index into the rule set's field table, set when the set is built (-1 before).
    let slot: Int32
    /// The key as written (`CommandLine|contains|all`), for indicators.
    let key: String
    let matchAll: Bool
    let patterns: [SigmaPattern]
    /// Set when linked, if every pattern is plain text: the fast path.
    let text: SigmaTextMatcher?
    /// `text` unretained, for evaluation (this item keeps it alive): items are shared by both
    /// cores' evaluations, and a retain is an atomic write to the matcher's cache line.
    let textRef: Unmanaged<SigmaTextMatcher>?
    /// Every pattern, when all are regexes (`|re`): matched on flat values too.
    let regexes: [SigmaRegexPattern]?
    /// The field slots of every pattern, when all are linked `|fieldref`s: compared on flat
    /// values too (no value objects per event).
    let fieldRefs: [Int32]?

    init(field: String?, slot: Int32 = -1, key: String, matchAll: Bool, patterns: [SigmaPattern], text: SigmaTextMatcher? = nil) {
        self.field = field
        self.slot = slot
        self.key = key
        self.matchAll = matchAll
        self.patterns = patterns
        self.text = text
        self.textRef = text.map { Unmanaged.passUnretained($0) }
        var regexes: [SigmaRegexPattern] = []
        for case .regex(let r) in patterns { regexes.append(r) }
        self.regexes = !patterns.isEmpty && regexes.count == patterns.count ? regexes : nil
        var fieldRefs: [Int32] = []
        for case .fieldRef(_, let slot) in patterns where slot >= 0 { fieldRefs.append(slot) }
        self.fieldRefs = !patterns.isEmpty && fieldRefs.count == patterns.count ? fieldRefs : nil
    }

    /// Rough evaluation cost, to try cheap items and selections first (AND/OR are pure, so
    /// their order is free): text is cheap, keywords scan the whole record, regexes run ICU.
    var cost: Int {
        var c = field == nil ? 20 : 1
        func add(_ p: SigmaPattern) {
            switch p {
            case .regex: c += 50
            case .anyOf(let ps): ps.forEach(add)
            case .text(let t): if case .glob = t.shape { c += 2 }
            default: break
            }
        }
        patterns.forEach(add)
        return c
    }
}

/// One compiled value. Text is compared as bytes: ASCII-folded unless `cased`.
enum SigmaPattern: Sendable {
    /// `null` in YAML: the field is absent or null.
    case null
    /// `|exists: true/false`.
    case exists(Bool)
    case text(SigmaTextPattern)
    case regex(SigmaRegexPattern)
    case cidr(SigmaCIDR)
    case compare(SigmaCompareOperator, Double)
    /// `|fieldref`: equals the value of another field of the same event.
    case fieldRef(name: String, slot: Int32)
    /// An `|expand` placeholder nobody supplied values for: matches nothing.
    case never
    /// The encoded variants of one value (`windash`, `base64offset`): any of them. Kept as
    /// one pattern so that `|all` still means "every value", not "every variant".
    case anyOf([SigmaPattern])
}

enum SigmaCompareOperator: Sendable {
    case gt, gte, lt, lte

    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .gt: a > b
        case .gte: a >= b
        case .lt: a < b
        case .lte: a <= b
        }
    }
}
