/// The shape every canary token shares, so one pass over an event's bytes finds them all no
/// matter how many exist: the prefix `mwct` then 26 characters of lowercase RFC 4648 base32
/// (`a-z`, `2-7`), 130 random bits from the system CSPRNG. The scan looks for the prefix
/// (case-insensitively: hostnames come back upper-cased from some resolvers), takes the next 26
/// characters and does one hash lookup, so its cost is flat in the number of canaries. The
/// alphabet is DNS-label, URL-path and JSON safe, so a token survives every place it is planted
/// without escaping.
public enum CanaryTokenFormat {
    public static let prefix = "mwct"
    public static let randomLength = 26
    public static let length = 4 + randomLength
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// A fresh token: 26 base32 characters, 5 bits each, 130 bits in all.
    public static func mint() -> String {
        var rng = SystemRandomNumberGenerator()
        var out = Array(prefix.utf8)
        var bits: UInt64 = 0
        var available = 0
        for _ in 0..<randomLength {
            if available < 5 { bits = rng.next(); available = 64 }
            out.append(alphabet[Int(bits & 31)])
            bits >>= 5
            available -= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is exactly a well-formed token (not whether it was minted).
    public static func isWellFormed(_ text: String) -> Bool {
        let b = Array(text.utf8)
        return b.count == length && b.starts(with: prefix.utf8) && b[4...].allSatisfy(isAlphabet)
    }

    /// Every well-formed token in `bytes`, lower-cased, in order of appearance (repeats kept).
    public static func candidates(in bytes: [UInt8]) -> [String] {
        var out: [String] = []
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            while i + length <= n {
                // The prefix's first byte; everything else is checked only at an `m`.
                guard b[i] | 0x20 == 0x6D, b[i + 1] | 0x20 == 0x77, b[i + 2] | 0x20 == 0x63, b[i + 3] | 0x20 == 0x74 else {
                    i += 1
                    continue
                }
                var token = [UInt8](repeating: 0, count: length)
                token[0] = 0x6D; token[1] = 0x77; token[2] = 0x63; token[3] = 0x74
                var ok = true
                for k in 4..<length {
                    let c = lower(b[i + k])
                    if !isAlphabet(c) { ok = false; break }
                    token[k] = c
                }
                if ok {
                    out.append(String(decoding: token, as: UTF8.self))
                    i += length
                } else {
                    i += 1
                }
            }
        }
        return out
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }
    @inline(__always) static func isAlphabet(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 50 && c <= 55) }
}
