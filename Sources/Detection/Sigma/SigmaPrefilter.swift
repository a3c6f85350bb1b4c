/// Derives a rule's prefilter: a set of needles (folded byte strings, each tied to the field
/// slot whose values it must appear in; slot -1 = keyword, any value of the document) at
/// least one of which appears in the values of its field in every event the rule matches. nil when none can be derived
/// (the rule is then evaluated for every event of its logsource).
///
/// - a value: its longest literal run (`contains`, `startswith`, `endswith`, equals and
///   wildcard values all contain their literals; encodings contribute their encoded bytes;
///   `re` its required literal); null, `exists`, `cidr`, comparisons, `fieldref`: none;
/// - values OR-ed: the union (none if one value has none); `|all`: the best single value;
/// - a selection map (AND): its best item; a list of maps (OR): the union;
/// - condition `and`: the best operand; `or`: the union; `not`: none.
/// "Best" = the set whose shortest needle is longest, then the smallest set.
enum SigmaPrefilter {
    typealias Needles = Set<SigmaNeedle>

    static func needles(_ detection: SigmaDetection) -> Needles? {
        condition(detection.condition, detection)
    }

    private static func condition(_ c: SigmaCondition, _ d: SigmaDetection) -> Needles? {
        switch c {
        case .selection(let i): return selection(d.selections[i])
        case .not: return nil
        case .and(let terms): return best(terms.map { condition($0, d) })
        case .or(let terms): return union(terms.map { condition($0, d) })
        }
    }

    private static func selection(_ s: SigmaSelection) -> Needles? {
        switch s {
        case .all(let items): return best(items.map(item))
        case .any(let alternatives): return union(alternatives.map(selection))
        }
    }

    private static func item(_ item: SigmaFieldItem) -> Needles? {
        let slot = item.field == nil ? -1 : item.slot
        let sets = item.patterns.map { pattern($0, slot) }
        return item.matchAll ? best(sets) : union(sets)
    }

    private static func pattern(_ p: SigmaPattern, _ slot: Int32) -> Needles? {
        switch p {
        case .text(let t): return t.needle.map { [SigmaNeedle(slot: slot, bytes: truncated($0))] }
        case .regex(let r): return r.needle.map { [SigmaNeedle(slot: slot, bytes: truncated($0))] }
        case .anyOf(let ps): return union(ps.map { pattern($0, slot) })
        case .never: return []  // matches nothing: needs nothing to be seen
        case .null, .exists, .cidr, .compare, .fieldRef: return nil
        }
    }

    /// The last bytes: path and file-name endings are rarer than their common beginnings.
    static func truncated(_ n: [UInt8]) -> [UInt8] {
        n.count <= SigmaAhoCorasick.maxNeedleLength ? n : Array(n.suffix(SigmaAhoCorasick.maxNeedleLength))
    }

    private static func union(_ sets: [Needles?]) -> Needles? {
        var out = Needles()
        for s in sets {
            guard let s else { return nil }
            out.formUnion(s)
        }
        return out
    }

    private static func best(_ sets: [Needles?]) -> Needles? {
        var chosen: Needles?
        for case let s? in sets {
            guard let current = chosen else { chosen = s; continue }
            if score(s) > score(current) { chosen = s }
        }
        return chosen
    }

    private static func score(_ s: Needles) -> (Int, Int) {
        if s.isEmpty { return (Int.max, 0) }  // a part that never matches: the rule never does
        return (s.map { weight($0.bytes) }.min() ?? 0, -s.count)
    }

    /// A needle's selectivity: its length, minus a penalty when it is part of text nearly
    /// every event carries (system paths, vendor strings): `c:\windows\` is long but useless.
    static func weight(_ needle: [UInt8]) -> Int {
        // A one-byte needle (regexes: a rare punctuation byte such as a backquote) is weak.
        if needle.count == 1 { return 1 }
        let common = commonText.contains { SigmaBytes.find(needle, in: $0, from: 0) != nil }
        return common ? needle.count / 4 : needle.count
    }

    /// Values found in most Windows and web events (folded).
    static let commonText: [[UInt8]] = [
        "c:\\windows\\system32\\", "c:\\windows\\syswow64\\", "c:\\windows\\explorer.exe",
        "c:\\program files (x86)\\", "c:\\program files\\", "c:\\users\\", "\\appdata\\local\\temp\\",
        "\\appdata\\roaming\\", "c:\\programdata\\", "microsoft windows operating system",
        "microsoft corporation", "nt authority\\system", "svchost.exe -k ", ".exe\" ", ".dll", "http://", "https://",
        "hklm\\software\\microsoft\\windows\\currentversion\\", "hkcu\\software\\microsoft\\windows\\currentversion\\",
        "mozilla/5.0 (windows nt 10.0; win64; x64)", "get", "post", "200",
    ].map { Array($0.utf8) }
}

/// A prefilter needle: folded bytes that must appear in the values of field `slot` (-1: in
/// any value of the document, for keyword items).
struct SigmaNeedle: Hashable, Sendable {
    let slot: Int32
    let bytes: [UInt8]
}
