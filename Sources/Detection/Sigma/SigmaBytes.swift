/// Byte helpers for the hot path: ASCII folding and the comparisons text patterns need,
/// without going through String.
enum SigmaBytes {
    static func folded(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for i in out.indices where out[i] >= 0x41 && out[i] <= 0x5A { out[i] += 32 }
        return out
    }

    static func folded(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { out, count in
            for i in 0..<bytes.count {
                let b = bytes[i]
                out[i] = (b >= 0x41 && b <= 0x5A) ? b + 32 : b
            }
            count = bytes.count
        }
    }

    static func hasSuffix(_ bytes: [UInt8], _ suffix: [UInt8]) -> Bool {
        guard bytes.count >= suffix.count else { return false }
        let offset = bytes.count - suffix.count
        for i in 0..<suffix.count where bytes[offset + i] != suffix[i] { return false }
        return true
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        find(needle, in: bytes, from: 0) != nil
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { find(needle, in: $0, from: start) }
    }

    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let n = needle.count
        if n == 0 { return start }
        guard hay.count - start >= n else { return nil }
        return needle.withUnsafeBufferPointer { pin in
            let first = pin[0]
            var i = start
            let last = hay.count - n
            while i <= last {
                if hay[i] == first {
                    var k = 1
                    while k < n && hay[i + k] == pin[k] { k += 1 }
                    if k == n { return i }
                }
                i += 1
            }
            return nil
        }
    }

    /// The length of the UTF-8 sequence starting with `lead` (1 for a stray byte).
    @inline(__always)
    static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Wildcard match with backtracking to the last `*` only (linear for typical patterns).
    static func glob(_ tokens: [SigmaGlobToken], _ value: [UInt8]) -> Bool {
        value.withUnsafeBufferPointer { glob(tokens, $0) }
    }

    static func glob(_ tokens: [SigmaGlobToken], _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var ti = 0, vi = 0
        var starToken = -1, starValue = 0
        let count = value.count
        while true {
            if ti == tokens.count {
                if vi == count { return true }
            } else {
                switch tokens[ti] {
                case .star:
                    starToken = ti
                    starValue = vi
                    ti += 1
                    continue
                case .one:
                    if vi < count {
                        vi = min(count, vi + scalarLength(value[vi]))
                        ti += 1
                        continue
                    }
                case .literal(let l):
                    if count - vi >= l.count && value[vi..<(vi + l.count)].elementsEqual(l) {
                        vi += l.count
                        ti += 1
                        continue
                    }
                }
            }
            // Mismatch: let the last star swallow one more character, or fail.
            guard starToken >= 0, starValue < count else { return false }
            starValue = min(count, starValue + scalarLength(value[starValue]))
            vi = starValue
            ti = starToken + 1
        }
    }
}
