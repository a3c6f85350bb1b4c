/// A fast exact matcher for the regexes that are a plain sequence of one-character atoms
/// (`\s[a-fA-F0-9]{64}\s`, `\\[a-z0-9]{1,32}\.`): literals, `.`, classes, `\s \d \w` and their
/// negations, each with `* + ? {n} {n,} {n,m}` (greedy or lazy: only "is there a match"
/// matters), optional leading `^` / trailing `$`. Anything else (groups, alternation,
/// lookaround, `\b`...) is left to ICU. It answers only for ASCII values, where its classes
/// are exactly ICU's; other values (and `$` before a final line break) go to ICU too.
///
/// Matching tracks the set of positions where the atoms so far can end (all positions at
/// the start, the regex being unanchored): linear in the value length per atom, no
/// backtracking, so it is also safe on hostile input.
struct SigmaSimpleRegex: Sendable {
    private struct Atom: Sendable {
        var set: [Bool]   // 128 entries: which ASCII bytes match
        var min: Int
        var max: Int      // Int.max = unbounded
    }

    private let atoms: [Atom]
    /// The fewest bytes any match spans (the atoms' minimum counts added up).
    private let minimumLength: Int
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    init?(_ pattern: String, ignoreCase: Bool, dotAll: Bool, multiline: Bool) {
        let p = Array(pattern.utf8)
        var i = 0
        var atoms: [Atom] = []
        var anchoredStart = false, anchoredEnd = false
        if p.first == UInt8(ascii: "^") { anchoredStart = true; i = 1 }
        while i < p.count {
            let c = p[i]
            var set = [Bool](repeating: false, count: 128)
            switch c {
            case UInt8(ascii: "$"):
                guard i == p.count - 1 else { return nil }
                anchoredEnd = true
                i += 1
                continue
            case UInt8(ascii: "."):
                for b in 0..<128 where dotAll || !(0x0A...0x0D).contains(b) { set[b] = true }  // ICU line terminators
                i += 1
            case UInt8(ascii: "["):
                guard let (classSet, negated, next) = Self.parseClass(p, i), !(negated && ignoreCase) else { return nil }
                set = classSet
                i = next
            case UInt8(ascii: "\\"):
                guard i + 1 < p.count, Self.escape(p[i + 1], into: &set) else { return nil }
                i += 2
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "|"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "^"):
                return nil
            default:
                guard c < 0x80 else { return nil }
                set[Int(c)] = true
                i += 1
            }
            var min = 1, max = 1
            if i < p.count {
                switch p[i] {
                case UInt8(ascii: "*"): (min, max) = (0, Int.max); i += 1
                case UInt8(ascii: "+"): (min, max) = (1, Int.max); i += 1
                case UInt8(ascii: "?"): (min, max) = (0, 1); i += 1
                case UInt8(ascii: "{"):
                    guard let (lo, hi, next) = Self.parseBraces(p, i) else { return nil }
                    (min, max) = (lo, hi)
                    i = next
                default: break
                }
                if i < p.count && p[i] == UInt8(ascii: "?") && (min != 1 || max != 1) { i += 1 }  // lazy
                if i < p.count && p[i] == UInt8(ascii: "+") && (min != 1 || max != 1) { return nil }  // possessive
            }
            if ignoreCase {
                for b in 0x41...0x5A where set[b] || set[b + 32] { set[b] = true; set[b + 32] = true }
            }
            atoms.append(Atom(set: set, min: min, max: max))
        }
        if multiline && (anchoredStart || anchoredEnd) { return nil }
        guard !atoms.isEmpty else { return nil }
        self.atoms = atoms
        self.minimumLength = atoms.reduce(0) { $0 &+ $1.min }
        self.anchoredStart = anchoredStart
        self.anchoredEnd = anchoredEnd
    }

    /// Whether the regex matches somewhere in `bytes`; nil when ICU must decide.
    func matches(_ bytes: [UInt8]) -> Bool? {
        bytes.withUnsafeBufferPointer { matches($0) }
    }

    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        let n = bytes.count
        for b in bytes where b >= 0x80 { return nil }
        if n < minimumLength { return false }  // ASCII: one byte per character
        if anchoredEnd, let last = bytes.last, last == 0x0A || last == 0x0D { return nil }
        // reachable[p]: the atoms so far can match bytes[start..<p] for some start.
        // Scratch space on the stack: no allocation per call.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (n + 2)) { scratch in
            let reachable = UnsafeMutableBufferPointer(rebasing: scratch[0..<(n + 1)])
            let run = UnsafeMutableBufferPointer(rebasing: scratch[(n + 1)..<(2 * n + 2)])
            let delta = UnsafeMutableBufferPointer(rebasing: scratch[(2 * n + 2)..<(3 * n + 4)])
            for q in 0...n { reachable[q] = anchoredStart ? 0 : 1 }
            reachable[0] = 1
            return advance(bytes, n, reachable, run, delta)
        }
    }

    private func advance(_ bytes: UnsafeBufferPointer<UInt8>, _ n: Int, _ reachable: UnsafeMutableBufferPointer<Int>,
                     _ run: UnsafeMutableBufferPointer<Int>, _ delta: UnsafeMutableBufferPointer<Int>) -> Bool {
        for atom in atoms {
            // run[p]: how many bytes from p on match the atom's set.
            run[n] = 0
            var p = n - 1
            while p >= 0 {
                run[p] = atom.set[Int(bytes[p])] ? run[p + 1] + 1 : 0
                p -= 1
            }
            for k in 0...(n + 1) { delta[k] = 0 }
            var any = false
            for p in 0...n where reachable[p] != 0 && run[p] >= atom.min {
                let hi = atom.max == Int.max ? run[p] : Swift.min(atom.max, run[p])
                delta[p + atom.min] += 1
                delta[p + hi + 1] -= 1
                any = true
            }
            guard any else { return false }
            var level = 0
            for q in 0...n {
                level += delta[q]
                reachable[q] = level > 0 ? 1 : 0
            }
        }
        return anchoredEnd ? reachable[n] != 0 : reachable.contains(1)
    }

    private static func escape(_ e: UInt8, into set: inout [Bool]) -> Bool {
        func fill(_ predicate: (Int) -> Bool) { for b in 0..<128 where predicate(b) { set[b] = true } }
        let isDigit = { (b: Int) in b >= 0x30 && b <= 0x39 }
        let isWord = { (b: Int) in isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F }
        let isSpace = { (b: Int) in b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
        switch e {
        case UInt8(ascii: "d"): fill(isDigit)
        case UInt8(ascii: "D"): fill { !isDigit($0) }
        case UInt8(ascii: "w"): fill(isWord)
        case UInt8(ascii: "W"): fill { !isWord($0) }
        case UInt8(ascii: "s"): fill(isSpace)
        case UInt8(ascii: "S"): fill { !isSpace($0) }
        case UInt8(ascii: "n"): set[0x0A] = true
        case UInt8(ascii: "t"): set[0x09] = true
        case UInt8(ascii: "r"): set[0x0D] = true
        default:
            // Escaped punctuation is itself; letters and digits are other escapes.
            let isAlnum = (e >= 0x30 && e <= 0x39) || (e >= 0x41 && e <= 0x5A) || (e >= 0x61 && e <= 0x7A)
            guard !isAlnum, e < 0x80 else { return false }
            set[Int(e)] = true
        }
        return true
    }

    private static func parseClass(_ p: [UInt8], _ start: Int) -> ([Bool], Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
        var set = [Bool](repeating: false, count: 128)
        var first = true
        while i < p.count {
            var c = p[i]
            if c == UInt8(ascii: "]") && !first { break }
            first = false
            if c == UInt8(ascii: "[") { return nil }  // POSIX classes, nested sets
            if c == UInt8(ascii: "\\") {
                guard i + 1 < p.count else { return nil }
                let e = p[i + 1]
                if "dDwWsSntr".utf8.contains(e) {
                    guard escape(e, into: &set) else { return nil }
                    i += 2
                    continue
                }
                guard escape(e, into: &set) else { return nil }
                c = e
                i += 2
            } else {
                guard c < 0x80 else { return nil }
                i += 1
            }
            if i + 1 < p.count && p[i] == UInt8(ascii: "-") && p[i + 1] != UInt8(ascii: "]") {
                let hi = p[i + 1]
                if hi == UInt8(ascii: "\\") { return nil }
                guard hi < 0x80, hi >= c else { return nil }
                for b in c...hi { set[Int(b)] = true }
                i += 2
            } else {
                set[Int(c)] = true
            }
        }
        guard i < p.count else { return nil }
        if negate { set = set.map { !$0 } }
        return (set, negate, i + 1)
    }

    private static func parseBraces(_ p: [UInt8], _ start: Int) -> (Int, Int, Int)? {
        guard let close = p[start...].firstIndex(of: UInt8(ascii: "}")) else { return nil }
        let body = String(decoding: p[(start + 1)..<close], as: UTF8.self)
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        guard let lo = Int(parts[0]) else { return nil }
        var hi = lo
        if parts.count == 2 { hi = parts[1].isEmpty ? Int.max : (Int(parts[1]) ?? -1) }
        guard parts.count <= 2, hi >= lo, lo <= 10_000 else { return nil }
        return (lo, hi, close + 1)
    }
}
