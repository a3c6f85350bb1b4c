/// The cheap first pass over the raw document bytes: no allocation, no parsing, and it says which
/// classifiers could possibly match, so an ordinary event (process creations, alerts with IPs,
/// hashes, GUIDs and timestamps) costs one scan and nothing else.
///
/// The scan classifies each pair of adjacent bytes with one lookup in a 64 KB table
/// (`pairClass`, eight pairs at a time, no branch per pair), looks further only at the few
/// places that can start a candidate, and checks each candidate right there on the raw bytes with the
/// classifier's own rule, so the triggers are sharp:
/// - a card: a run of 13-19 digits (single spaces or dashes between them) standing alone, not
///   part of a hex hash, GUID or identifier, that passes Luhn and has a known issuer prefix
///   (exactly `CompliancePAN.find`'s rule);
/// - an e-mail: `@` with a local part before it and a dotted domain with a letters-only TLD
///   after it (exactly `ComplianceGDPR.containsEmail`'s rule; `@timestamp` is not one);
/// - a phone: `+` standing alone, 8-15 digits with an EU/EEA calling code (and, as before, a
///   `+digit` somewhere in the document);
/// - an IBAN: two uppercase letters naming an EU/EEA country then two digits, standing alone;
/// - PHI: `patient`, `mrn`, `icd`, `diagnos`, `medical` anywhere (any case), or a key `dx` /
///   `dx_...`.
/// Each trigger is implied by what the classifiers need in the decoded values, and implies the
/// previous (coarser) pre-scan's trigger, so findings are exactly the same, only ordinary events
/// no longer reach the tape walk. The one thing the raw bytes cannot show is a `\uXXXX` escape
/// (which may hide a digit, `@` or letter); a document with one is gated the coarse way.
struct ComplianceByteScan {
    /// A PAN candidate (Luhn and issuer checked) somewhere in the bytes.
    var hasCardCandidate = false
    /// An e-mail-shaped `local@domain.tld`.
    var hasAt = false
    /// A `+CC ...` phone number with an EU/EEA calling code.
    var hasPlusDigit = false
    /// `CCdd` standing alone with an EU/EEA country code: the start of an IBAN.
    var hasIBANStart = false
    /// One of `CompliancePHI.gateWords`, any case (`dx` only as a key or key prefix).
    var hasMedicalWord = false

    var maybeGDPR: Bool { hasAt || hasPlusDigit || hasIBANStart }
    var anything: Bool { hasCardCandidate || maybeGDPR || hasMedicalWord }

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { b -> ComplianceByteScan in
            guard let base = b.baseAddress, b.count > 0 else { return ComplianceByteScan() }
            var pass = Pass(b: base, n: b.count)
            pass.run()
            if pass.unicodeEscape { return ComplianceByteScan(coarse: b) }
            var s = ComplianceByteScan()
            s.hasCardCandidate = pass.cards
            s.hasAt = pass.email
            s.hasPlusDigit = pass.phone
            s.hasIBANStart = pass.iban
            s.hasMedicalWord = pass.medical
            return s
        }
    }

    private init() {}

    /// The previous pre-scan, for documents with `\u` escapes: a 13-digit run (spaces or dashes
    /// allowed), any `@`, `+` then a digit, two uppercase letters then two digits, a gate word.
    init(coarse b: UnsafeBufferPointer<UInt8>) {
        var longest = 0, run = 0
        var pendingSeparator = false
        var at = false, plusDigit = false, iban = false, medical = false
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c &- 48 < 10 {
                run += 1
                pendingSeparator = false
                if run > longest { longest = run }
                if !iban, i >= 2, i + 1 < n, b[i + 1] &- 48 < 10, b[i - 1] &- 65 < 26, b[i - 2] &- 65 < 26 { iban = true }
            } else if (c == 32 || c == 45) && run > 0 && !pendingSeparator {
                pendingSeparator = true
            } else {
                run = 0
                pendingSeparator = false
                switch c {
                case 64: at = true
                case 43: if i + 1 < n, b[i + 1] &- 48 < 10 { plusDigit = true }
                default:
                    switch c | 0x20 {
                    case 0x64, 0x69, 0x6D, 0x70:  // d, i, m, p: first letters of the gate words
                        if !medical, Self.startsGateWord(b, i) { medical = true }
                    default: break
                    }
                }
            }
            i += 1
        }
        hasCardCandidate = longest >= 13
        hasAt = at
        hasPlusDigit = plusDigit
        hasIBANStart = iban
        hasMedicalWord = medical
    }

    private static func startsGateWord(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        for word in CompliancePHI.gateWords where word[0] == b[i] | 0x20 && i + word.count <= b.count {
            var j = 1
            while j < word.count && (b[i + j] | 0x20) == word[j] { j += 1 }
            if j == word.count { return true }
        }
        return false
    }
}

// MARK: - the sharp pass

extension ComplianceByteScan {
    /// EU/EEA calling codes as numbers, by length (`30` and `030` differ).
    static let callingCodes2: Set<Int> = Set(ComplianceEU.callingCodes.filter { $0.count == 2 }.compactMap { Int($0) })
    static let callingCodes3: Set<Int> = Set(ComplianceEU.callingCodes.filter { $0.count == 3 }.compactMap { Int($0) })
    /// `countryTable[(c0 - 65) * 26 + (c1 - 65)]`: whether two uppercase letters are an EU/EEA code.
    static let countryTable: [Bool] = {
        var t = [Bool](repeating: false, count: 26 * 26)
        for code in ComplianceEU.countryCodes {
            let u = Array(code.utf8)
            t[Int(u[0] - 65) * 26 + Int(u[1] - 65)] = true
        }
        return t
    }()

    fileprivate struct Pass {
        let b: UnsafePointer<UInt8>
        let n: Int
        var cards = false, email = false, phone = false, iban = false, medical = false
        var unicodeEscape = false
        var plusDigit = false, phoneMatch = false
        /// Where the last digit run examined ended: digits before it are not run starts.
        var resumeAt = 0

        init(b: UnsafePointer<UInt8>, n: Int) {
            self.b = b
            self.n = n
        }

        var done: Bool { unicodeEscape || (cards && email && phone && iban && medical) }

        /// One pass over the byte pairs `(b[i], b[i+1])`: `pairClass[b[i] | b[i+1] << 8]` is
        /// non-zero only where something needs a look (see `pairClass`): a digit run starting
        /// after a byte that is not a letter or digit, an `@`, `+` or backslash, the first two
        /// letters of a gate word, an EU/EEA country code. Everything else costs one 16-bit load
        /// and one table lookup, eight pairs at a time and without a branch per pair; events are
        /// handled in byte order, as before.
        mutating func run() {
            if Self.isDigit(b[0]) {
                digit(0)
                if done { return }
            }
            let last = n - 1  // pairs (i, i + 1) for i < last; the last byte alone is below
            ComplianceByteScan.pairClass.withUnsafeBufferPointer { tb in
                let t = tb.baseAddress!
                let raw = UnsafeRawPointer(b)
                var i = 0
                while i + 8 <= last {
                    var kk: UInt64 = 0  // one byte of bits per pair
                    for j in 0..<8 {
                        let pair = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i + j, as: UInt16.self))
                        kk |= UInt64(t[Int(pair)]) &<< UInt64(8 * j)
                    }
                    while kk != 0 {
                        let z = kk.trailingZeroBitCount & ~7
                        let k = UInt8(truncatingIfNeeded: kk &>> UInt64(z))
                        kk &= ~(0xFF &<< UInt64(z))
                        let p = i + z &>> 3
                        if event(k, p) { return }
                    }
                    i += 8
                }
                while i < last {
                    let k = t[Int(b[i]) | Int(b[i + 1]) &<< 8]
                    if k != 0, event(k, i) { return }
                    i += 1
                }
            }
            if done { return }
            switch b[last] {
            case 64, 43, 92: visit(last)
            default: break
            }
        }

        /// Handles the pair event `k` (`pairClass` bits) at `(i, i + 1)`; true when the pass is done.
        @inline(__always) mutating func event(_ k: UInt8, _ i: Int) -> Bool {
            if k & 2 != 0 {
                visit(i)
                // `\n4111...`: a digit after an escape letter also starts a token.
                if b[i] == 92, i + 2 < n, Self.isEscapeLetter(b[i + 1]), Self.isDigit(b[i + 2]) { digit(i + 2) }
            }
            if k & 4 != 0, !medical, i + 2 < n, ComplianceByteScan.gatePrefix(b[i], b[i + 1], b[i + 2]), medicalAt(i) {
                medical = true
            }
            if k & 8 != 0, !iban, ibanAt(i) { iban = true }
            // A run of one digit cannot be a card (and would only move `resumeAt` past itself).
            if k & 1 != 0, i + 2 < n {
                let c = b[i + 2]
                if Self.isDigit(c) || ((c == 32 || c == 45) && i + 3 < n && Self.isDigit(b[i + 3])) { digit(i + 1) }
            }
            return done
        }

        /// A digit: the start of a run (PAN rule) or the third byte of `CCdd` (IBAN start).
        @inline(__always) mutating func digit(_ p: Int) {
            guard p > 0 else { if !cards { panRun(p) }; return }
            let prev = b[p - 1]
            if Self.isDigit(prev) { return }
            if Self.isUpper(prev), !iban, p >= 2, p + 1 < n, Self.isUpper(b[p - 2]), Self.isDigit(b[p + 1]), ibanAt(p - 2) {
                iban = true
            }
            if !cards, p >= resumeAt, boundary(p) { panRun(p) }
        }

        @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
        @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c &- 65 < 26 }
        @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { c &- 48 < 10 || (c | 0x20) &- 97 < 26 }
        @inline(__always) static func isEscapeLetter(_ c: UInt8) -> Bool {
            c == 0x62 || c == 0x66 || c == 0x6E || c == 0x72 || c == 0x74
        }

        /// Whether the backslash at `q` starts an escape (an odd number of backslashes ends there).
        @inline(__always) func escapes(at q: Int) -> Bool {
            var k = 0
            while q - k >= 0 && b[q - k] == 92 { k += 1 }
            return k & 1 == 1
        }

        /// Whether position p can start a token in the decoded string: the start, a byte that
        /// is not a letter or digit, or one that is the letter of an escape (`\n4111...`).
        @inline(__always) func boundary(_ p: Int) -> Bool {
            if p == 0 || !Self.isAlnum(b[p - 1]) { return true }
            return p >= 2 && b[p - 2] == 92 && Self.isEscapeLetter(b[p - 1]) && escapes(at: p - 2)
        }

        mutating func visit(_ p: Int) {
            let c = b[p]
            if Self.isDigit(c) {
                if !cards, p >= resumeAt, boundary(p) { panRun(p) }
                return
            }
            switch c {
            case 64: if !email, emailAt(p) { email = true }
            case 43:
                // The classifier takes `+ 49 ...` too, but the coarse gate needed a `+digit`
                // somewhere in the document: both, to find exactly what it found.
                if p + 1 < n, Self.isDigit(b[p + 1]) { plusDigit = true }
                if !phoneMatch, phoneAt(p) { phoneMatch = true }
                phone = plusDigit && phoneMatch
            case 92:
                guard escapes(at: p), p + 1 < n else { return }
                if b[p + 1] == 0x75 { unicodeEscape = true }
            default:
                if Self.isUpper(c), !iban, ibanAt(p) { iban = true }
                if !medical, medicalAt(p) { medical = true }
            }
        }

        /// `CompliancePAN.find`'s rule for the run starting at p.
        mutating func panRun(_ p: Int) {
            var j = p, count = 0
            while j < n {
                if Self.isDigit(b[j]) { count += 1; j += 1; continue }
                if b[j] == 32 || b[j] == 45, j + 1 < n, Self.isDigit(b[j + 1]) { j += 1; continue }
                break
            }
            resumeAt = j
            guard count >= 13, count <= 19, j == n || !Self.isAlnum(b[j]) else { return }
            var digits: [UInt8] = []  // only for runs of PAN length: rare
            digits.reserveCapacity(count)
            var sum = 0, k = p
            while k < j {
                let c = b[k]
                k += 1
                guard Self.isDigit(c) else { continue }
                let d = Int(c &- 48)
                digits.append(UInt8(d))
                let fromRight = count - digits.count
                sum += fromRight & 1 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d
            }
            if sum % 10 == 0, CompliancePAN.brand(digits) != nil { cards = true }
        }

        /// `ComplianceGDPR.containsEmail`'s rule at the `@` at p.
        func emailAt(_ at: Int) -> Bool {
            guard at > 0, ComplianceGDPR.isLocal(b[at - 1]) else { return false }
            var e = at + 1
            var lastDot = -1
            while e < n, Self.isAlnum(b[e]) || b[e] == 45 || b[e] == 46 { if b[e] == 46 { lastDot = e }; e += 1 }
            guard lastDot > at + 1 else { return false }
            var tld = lastDot + 1
            var letters = 0
            while tld < e, (b[tld] | 0x20) &- 97 < 26 { letters += 1; tld += 1 }
            return letters >= 2 && tld == e
        }

        /// `ComplianceGDPR.euPhoneCallingCode`'s rule at the `+` at p.
        func phoneAt(_ plus: Int) -> Bool {
            guard boundary(plus) else { return false }
            var i = plus + 1, count = 0, code2 = 0, code3 = 0
            while i < n {
                let c = b[i]
                if Self.isDigit(c) {
                    if count < 2 { code2 = code2 * 10 + Int(c - 48) }
                    if count < 3 { code3 = code3 * 10 + Int(c - 48) }
                    count += 1
                } else if !(c == 32 || c == 45 || c == 46 || c == 40 || c == 41) {
                    break
                }
                i += 1
            }
            guard i == n || !Self.isAlnum(b[i]) else { return false }
            if count >= 8 && count <= 14 && ComplianceByteScan.callingCodes2.contains(code2) { return true }
            if count >= 9 && count <= 15 && ComplianceByteScan.callingCodes3.contains(code3) { return true }
            return false
        }

        /// An EU/EEA country code then two digits, standing alone: where `euIBANCountry` starts.
        @inline(__always) func ibanAt(_ i: Int) -> Bool {
            guard i + 4 <= n, Self.isUpper(b[i + 1]), Self.isDigit(b[i + 2]), Self.isDigit(b[i + 3]), boundary(i) else { return false }
            return ComplianceByteScan.countryTable[Int(b[i] - 65) * 26 + Int(b[i + 1] - 65)]
        }

        /// A gate word at p (any case); `dx` only as a whole key or a key's `dx_` prefix.
        func medicalAt(_ i: Int) -> Bool {
            let c = b[i] | 0x20
            if c == 0x64, i >= 1, i + 2 < n, (b[i + 1] | 0x20) == 0x78, b[i - 1] == 34, b[i + 2] == 34 || b[i + 2] == 95 {
                return true
            }
            for word in ComplianceByteScan.sharpWords where word[0] == c && i + word.count <= n {
                var j = 1
                while j < word.count && (b[i + j] | 0x20) == word[j] { j += 1 }
                if j == word.count { return true }
            }
            return false
        }
    }

    /// The class of the pair `(c0, c1)` at `pairClass[c0 | c1 << 8]`:
    /// bit 0: a digit c1 after a c0 that is neither a letter nor a digit (a digit run's start
    /// that may be a token start; after a letter it is not one, escapes aside, see `event`);
    /// bit 1: c0 is `@` or `+`, or a backslash before `u` or an escape letter;
    /// bit 2: the first two letters of a gate word (`pairTable` bits 2-5);
    /// bit 3: an EU/EEA country code (two uppercase letters), where an IBAN may start.
    static let pairClass: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 65536)
        for c1 in 0..<256 {
            for c0 in 0..<256 {
                let u0 = UInt8(c0), u1 = UInt8(c1)
                let alnum0 = u0 &- 48 < 10 || (u0 | 0x20) &- 97 < 26
                var k: UInt8 = 0
                if u1 &- 48 < 10 && !alnum0 { k |= 1 }
                // A backslash matters only before `u` (a `\\u` escape, unless itself escaped) or
                // an escape letter (`\\n4111...`); before anything else `visit` does nothing.
                if u0 == 64 || u0 == 43 || (u0 == 92 && (u1 == 0x75 || Pass.isEscapeLetter(u1))) { k |= 2 }
                if pairTable[c0] & pairTable[256 + c1] & 0x3C != 0 { k |= 4 }
                if u0 &- 65 < 26, u1 &- 65 < 26, countryTable[Int(u0 - 65) * 26 + Int(u1 - 65)] { k |= 8 }
                t[c0 | c1 << 8] = k
            }
        }
        return t
    }()

    /// Whether three bytes can start a gate word (`pat`, `mrn`, `med`, `icd`, `dia`, `dx"`, `dx_`).
    static func gatePrefix(_ c0: UInt8, _ c1: UInt8, _ c2: UInt8) -> Bool {
        pairTable[Int(c0)] & pairTable[256 + Int(c1)] & pairTable[512 + Int(c2)] & 0x3C != 0
    }

    /// `pairTable[c0] & pairTable[256 + c1]` for the pair `(c0, c1)` at i:
    /// bit 0: a digit at i + 1 after a byte that is neither a digit nor a lowercase letter;
    /// bit 1: `@`, `+` or backslash at i;
    /// bits 2-5: the first two letters (any case) of `pa`tient, `mr`n / `me`dical, `ic`d,
    /// `di`agnos / `dx`; `pairTable[512 + c2]` has the same bits for a third byte that fits
    /// (`pat`, `mrn` / `med`, `icd`, `dia` / `dx"` / `dx_`), checked before `medicalAt`.
    static let pairTable: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 768)
        for c in 0..<256 {
            let u = UInt8(c)
            let digit = u &- 48 < 10, lower = u &- 97 < 26, letter = (u | 0x20) &- 97 < 26
            var first: UInt8 = 0, second: UInt8 = 2
            if !digit && !lower { first |= 1 }
            if digit { second |= 1 }
            if u == 64 || u == 43 || u == 92 { first |= 2 }
            if letter {
                switch u | 0x20 {
                case 0x70: first |= 4       // p
                case 0x6D: first |= 8       // m
                case 0x69: first |= 16      // i
                case 0x64: first |= 32      // d
                default: break
                }
                switch u | 0x20 {
                case 0x61: second |= 4      // a
                case 0x72, 0x65: second |= 8   // r, e
                case 0x63: second |= 16     // c
                case 0x69, 0x78: second |= 32  // i, x
                default: break
                }
            }
            var third: UInt8 = 0
            switch u | 0x20 {
            case 0x74: third |= 4       // t
            case 0x6E: third |= 8       // n
            case 0x64: third |= 8 | 16  // d
            case 0x61: third |= 32      // a
            default: break
            }
            if !letter { third = 0 }
            if u == 34 || u == 95 { third |= 32 }  // `dx"`, `dx_`
            t[c] = first
            t[256 + c] = second
            t[512 + c] = third
        }
        return t
    }()

    /// `CompliancePHI.gateWords` except `dx`, which `medicalAt` checks on its own.
    static let sharpWords: [[UInt8]] = CompliancePHI.gateWords.filter { $0 != Array("dx".utf8) }
}
