import Foundation

/// A `|re` value, compiled once at load. Case-sensitive unless `|i`; `|m` makes ^ and $
/// match at line ends, `|s` lets `.` match newlines. Three stages, cheapest first:
/// 1. the literal runs every match contains (outside groups and classes) must all be in the
///    value (byte searches, ASCII case-folded);
/// 2. patterns in SigmaSimpleRegex's subset (155 of SigmaHQ's 217) run there, exactly;
/// 3. the rest run on NSRegularExpression (ICU: PCRE-like syntax, and much faster than
///    Swift Regex on Linux). A pattern ICU cannot compile refuses the rule.
/// A class: evaluation passes patterns around with one retain instead of copying (and
/// retaining) each of their fields.
final class SigmaRegexPattern: Sendable {
    let source: String
    let ignoreCase: Bool, multiline: Bool, dotAll: Bool
    private let box: Box
    /// Literal runs every match contains (folded, longest first): each must be in the value.
    private let required: [[UInt8]]
    private let simple: SigmaSimpleRegex?
    /// A lower bound on the UTF-8 length of any match (0 when not derived).
    private let minimumLength: Int

    /// NSRegularExpression is immutable after init and documented thread-safe for matching.
    private final class Box: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    init(_ source: String, ignoreCase: Bool, multiline: Bool, dotAll: Bool) throws {
        var options: NSRegularExpression.Options = []
        if ignoreCase { options.insert(.caseInsensitive) }
        if multiline { options.insert(.anchorsMatchLines) }
        if dotAll { options.insert(.dotMatchesLineSeparators) }
        self.source = source
        self.ignoreCase = ignoreCase
        self.multiline = multiline
        self.dotAll = dotAll
        self.box = Box(try NSRegularExpression(pattern: source, options: options))
        var runs: [[UInt8]] = []
        for run in (Self.literalRuns(Array(source.utf8)) ?? []).map(SigmaBytes.folded).sorted(by: { $0.count > $1.count })
        where !runs.contains(where: { SigmaBytes.find(run, in: $0, from: 0) != nil }) {
            runs.append(run)  // a run inside a longer one is checked by that one
        }
        self.required = runs
        // Only "is there a match" matters, so a trailing optional group can go: a pattern
        // ending in `(...)?` matches somewhere exactly when the part before it does.
        let searched = Self.droppingTrailingOptionalGroup(Array(source.utf8)).map { String(decoding: $0, as: UTF8.self) } ?? source
        self.simple = SigmaSimpleRegex(searched, ignoreCase: ignoreCase, dotAll: dotAll, multiline: multiline)
        self.minimumLength = Self.minimumMatchLength(Array(source.utf8))
    }

    /// A lower bound on the byte length of any match, for a pattern that is a plain sequence
    /// of single-character atoms (literals, `.`, classes, `\d \s \w`-style escapes, escaped
    /// punctuation), each optionally quantified; zero-width `^ $ \b \B \A \z \Z`
    /// count 0. Anything else (groups, alternation, other escapes): 0, no bound. Each
    /// character matched is at least one byte.
    static func minimumMatchLength(_ p: [UInt8]) -> Int {
        var total = 0
        var i = 0
        while i < p.count {
            let c = p[i]
            var width = 1       // characters the atom matches (before its quantifier)
            switch c {
            case UInt8(ascii: "\\"):
                guard i + 1 < p.count else { return 0 }
                let e = p[i + 1]
                i += 2
                let isAlnum = (e >= 0x30 && e <= 0x39) || (e >= 0x41 && e <= 0x5A) || (e >= 0x61 && e <= 0x7A)
                if isAlnum {
                    if "bBAzZG".utf8.contains(e) { width = 0 }
                    else if !"dDwWsShHvVtnrf".utf8.contains(e) { return 0 }
                } else if e >= 0x80 {
                    return 0
                }
            case UInt8(ascii: "["):
                i += 1
                if i < p.count && p[i] == UInt8(ascii: "^") { i += 1 }
                if i < p.count && p[i] == UInt8(ascii: "]") { i += 1 }
                while i < p.count && p[i] != UInt8(ascii: "]") {
                    // Nested classes and set operations: no bound.
                    if p[i] == UInt8(ascii: "[") { return 0 }
                    i += p[i] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard i < p.count else { return 0 }
                i += 1
            case UInt8(ascii: "^"), UInt8(ascii: "$"):
                width = 0
                i += 1
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: " "):
                return 0  // groups, alternation, stray quantifiers, possible comment/free-spacing syntax
            default:
                i += 1  // a literal or `.` (one character; multi-byte literals: their bytes, each >= 1 char later)
                if c >= 0x80 { return 0 }
            }
            // Quantifier.
            var times = 1
            if i < p.count {
                switch p[i] {
                case UInt8(ascii: "*"), UInt8(ascii: "?"):
                    times = 0
                    i += 1
                case UInt8(ascii: "+"):
                    i += 1
                case UInt8(ascii: "{"):
                    var j = i + 1
                    var n = 0
                    var digits = 0
                    while j < p.count, p[j] >= 0x30, p[j] <= 0x39, digits < 6 {
                        n = n * 10 + Int(p[j] - 0x30)
                        j += 1
                        digits += 1
                    }
                    guard digits > 0, j < p.count else { return 0 }
                    while j < p.count && p[j] != UInt8(ascii: "}") {
                        guard p[j] == UInt8(ascii: ",") || (p[j] >= 0x30 && p[j] <= 0x39) else { return 0 }
                        j += 1
                    }
                    guard j < p.count else { return 0 }
                    times = n
                    i = j + 1
                default:
                    break
                }
                // Lazy / possessive suffix.
                if times != 1 || (i > 0 && (p[i - 1] == UInt8(ascii: "+") || p[i - 1] == UInt8(ascii: "}"))) {
                    if i < p.count && (p[i] == UInt8(ascii: "?") || p[i] == UInt8(ascii: "+")) { i += 1 }
                }
            }
            total += width * times
        }
        return total
    }

    func matches(_ value: SigmaValueText) -> Bool {
        value.bytes.withUnsafeBufferPointer { raw in
            value.folded.withUnsafeBufferPointer { folded in matches(raw, folded) }
        }
    }

    /// Whether the value `raw` (ASCII-folded: `folded`, same length) matches.
    func matches(_ raw: UnsafeBufferPointer<UInt8>, _ folded: UnsafeBufferPointer<UInt8>) -> Bool {
        if raw.count < minimumLength { return false }
        for literal in required where SigmaBytes.find(literal, in: folded, from: 0) == nil { return false }
        if let simple, let answer = simple.matches(raw) { return answer }
        let text = String(decoding: raw, as: UTF8.self)
        let range = NSRange(location: 0, length: text.utf16.count)
        return box.regex.rangeOfFirstMatch(in: text, options: [], range: range).location != NSNotFound
    }

    /// `p` without its final top-level group when that group may repeat zero times and
    /// nothing follows it (`-k\s\w{1,64}(?:\s?(?:-p|-s))?` -> `-k\s\w{1,64}`); nil otherwise.
    /// Plain `(` and `(?:` groups only (not lookaround or inline flags), and no
    /// backreferences anywhere.
    static func droppingTrailingOptionalGroup(_ p: [UInt8]) -> [UInt8]? {
        var depth = 0, inClass = false
        var groupStart = -1, groupEnd = -1   // the last top-level group: its `(` and `)`
        var i = 0
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < p.count else { return nil }
                let e = p[i + 1]
                if (e >= 0x30 && e <= 0x39) || e == UInt8(ascii: "k") { return nil }  // backreference
                i += 2
                continue
            }
            if inClass {
                if c == UInt8(ascii: "]") { inClass = false }
            } else if c == UInt8(ascii: "[") {
                inClass = true
                // `[]...]` and `[^]...]`: a leading `]` is a literal.
                if i + 1 < p.count && p[i + 1] == UInt8(ascii: "^") { i += 1 }
                if i + 1 < p.count && p[i + 1] == UInt8(ascii: "]") { i += 1 }
            } else if c == UInt8(ascii: "(") {
                if depth == 0 { groupStart = i }
                depth += 1
            } else if c == UInt8(ascii: ")") {
                depth -= 1
                if depth < 0 { return nil }
                if depth == 0 { groupEnd = i }
            }
            i += 1
        }
        guard depth == 0, !inClass, groupStart > 0, groupEnd > groupStart else { return nil }
        // A plain or non-capturing group.
        if groupStart + 1 < p.count && p[groupStart + 1] == UInt8(ascii: "?") {
            guard groupStart + 2 < p.count, p[groupStart + 2] == UInt8(ascii: ":") else { return nil }
        }
        // Then exactly one quantifier allowing zero repetitions (greedy, lazy or possessive).
        var q = groupEnd + 1
        guard q < p.count else { return nil }
        switch p[q] {
        case UInt8(ascii: "?"), UInt8(ascii: "*"): q += 1
        case UInt8(ascii: "{"):
            guard q + 1 < p.count, p[q + 1] == UInt8(ascii: "0") else { return nil }
            q += 2
            while q < p.count, p[q] == UInt8(ascii: ",") || (p[q] >= 0x30 && p[q] <= 0x39) { q += 1 }
            guard q < p.count, p[q] == UInt8(ascii: "}") else { return nil }
            // `{0` must be the whole lower bound: `{05}` is 5.
            if q > groupEnd + 3, p[groupEnd + 3] != UInt8(ascii: ",") { return nil }
            q += 1
        default: return nil
        }
        if q < p.count && (p[q] == UInt8(ascii: "?") || p[q] == UInt8(ascii: "+")) { q += 1 }
        guard q == p.count else { return nil }
        // A `|` right before the group would leave an empty alternative: keep that for ICU.
        let prefix = Array(p[..<groupStart])
        guard let last = prefix.last, last != UInt8(ascii: "|"), last != UInt8(ascii: "(") else { return nil }
        return prefix
    }

    /// A literal run every match must contain (folded), for the prefilter; nil when none can
    /// be proven. Conservative: gives up on top-level alternation, skips groups and classes,
    /// and drops a character a quantifier may repeat zero times.
    var needle: [UInt8]? {
        let p = Array(source.utf8)
        if let n = Self.requiredLiteral(p) { return SigmaBytes.folded(n) }
        // A single required byte is still worth a needle when command lines rarely hold it.
        if let one = Self.requiredLiteral(p, minimum: 1), one.count == 1, Self.rareBytes.contains(one[0]) { return one }
        return nil
    }

    static let rareBytes: [UInt8] = Array("`^%$~|<>{}[]!@#;'+=&*()".utf8)

    /// The longest of `literalRuns` (at least `minimum` bytes).
    static func requiredLiteral(_ p: [UInt8], minimum: Int = 2) -> [UInt8]? {
        guard let best = literalRuns(p)?.max(by: { $0.count < $1.count }), best.count >= minimum else { return nil }
        return best
    }

    /// Every literal run outside groups and classes, each of which every match contains (ASCII
    /// runs only; nil when none can be proven: top-level alternation, escapes not modelled).
    static func literalRuns(_ p: [UInt8]) -> [[UInt8]]? {
        var runs: [[UInt8]] = []
        var run: [UInt8] = []
        func flush() {
            // Non-ASCII bytes could be part of a multi-byte char class; keep ASCII-only runs.
            if !run.isEmpty && run.allSatisfy({ $0 < 0x80 }) { runs.append(run) }
            run = []
        }
        // Top-level `|` (outside groups and classes) makes no literal required.
        var depth = 0, i = 0, inClass = false
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\\") { i += 2; continue }
            if inClass { if c == UInt8(ascii: "]") { inClass = false }; i += 1; continue }
            switch c {
            case UInt8(ascii: "["): inClass = true
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "|") where depth == 0: return nil
            default: break
            }
            i += 1
        }
        i = 0
        while i < p.count {
            let c = p[i]
            var literal: UInt8?
            var width = 1
            switch c {
            case UInt8(ascii: "\\"):
                guard i + 1 < p.count else { return nil }
                let e = p[i + 1]
                width = 2
                let isWord = (e >= 0x30 && e <= 0x39) || (e >= 0x41 && e <= 0x5A) || (e >= 0x61 && e <= 0x7A)
                literal = isWord ? nil : e  // \d \w \b are classes/anchors; \. \\ \/ literals
                if e == UInt8(ascii: "n") { literal = 0x0A }
                if e == UInt8(ascii: "t") { literal = 0x09 }
                if e == UInt8(ascii: "r") { literal = 0x0D }
                if e == UInt8(ascii: "x") || e == UInt8(ascii: "p") || e == UInt8(ascii: "P") {
                    // \xHH, \x{...}, \p{...}: skip the argument too.
                    if i + 2 < p.count && p[i + 2] == UInt8(ascii: "{") {
                        var j = i + 2
                        while j < p.count && p[j] != UInt8(ascii: "}") { j += 1 }
                        width = j + 1 - i
                    } else {
                        width = e == UInt8(ascii: "x") ? 4 : 3
                    }
                } else if isWord && !"dDwWsSbBtnrfvAzZG".utf8.contains(e) {
                    return nil  // backreferences, \k<>, \u...: not worth modelling
                }
            case UInt8(ascii: "("):
                // Skip the whole group (it may be optional or alternating).
                flush()
                var d = 0, inCls = false
                while i < p.count {
                    let g = p[i]
                    if g == UInt8(ascii: "\\") { i += 2; continue }
                    if inCls { if g == UInt8(ascii: "]") { inCls = false } }
                    else if g == UInt8(ascii: "[") { inCls = true }
                    else if g == UInt8(ascii: "(") { d += 1 }
                    else if g == UInt8(ascii: ")") { d -= 1; if d == 0 { i += 1; break } }
                    i += 1
                }
                i = skipQuantifier(p, i)
                continue
            case UInt8(ascii: "["):
                flush()
                i += 1
                if i < p.count && p[i] == UInt8(ascii: "]") { i += 1 }
                while i < p.count && p[i] != UInt8(ascii: "]") { i += p[i] == UInt8(ascii: "\\") ? 2 : 1 }
                i = skipQuantifier(p, i + 1)
                continue
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
                literal = nil
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                literal = nil  // a stray quantifier (after a skipped construct)
            default:
                literal = c
            }
            let next = i + width
            let quantifier: UInt8? = next < p.count ? p[next] : nil
            let optional = quantifier == UInt8(ascii: "*") || quantifier == UInt8(ascii: "?")
                || (quantifier == UInt8(ascii: "{") && next + 1 < p.count && p[next + 1] == UInt8(ascii: "0"))
            let repeats = quantifier == UInt8(ascii: "+") || quantifier == UInt8(ascii: "{")
            if let literal, !optional {
                run.append(literal)
                if repeats { flush() }
            } else {
                flush()
            }
            i = next
            if optional || repeats { i = skipQuantifier(p, i) }
        }
        flush()
        return runs
    }

    private static func skipQuantifier(_ p: [UInt8], _ start: Int) -> Int {
        var i = start
        guard i < p.count else { return i }
        switch p[i] {
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"): i += 1
        case UInt8(ascii: "{"):
            while i < p.count && p[i] != UInt8(ascii: "}") { i += 1 }
            i += 1
        default: return i
        }
        if i < p.count && (p[i] == UInt8(ascii: "?") || p[i] == UInt8(ascii: "+")) { i += 1 }  // lazy/possessive
        return i
    }
}
