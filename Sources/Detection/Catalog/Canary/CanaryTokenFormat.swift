#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// The prefix's second byte (`w`, the rarest of the four in ordinary events) is found with
    /// `memchr`, once per case; only there are the other three compared. Nothing is allocated
    /// unless a token is there.
    public static func candidates(in bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBufferPointer { b -> [String] in
            guard let base = b.baseAddress, b.count >= length else { return [] }
            let n = b.count
            var out: [String] = []
            var resume = 0  // a token was taken up to here: matches inside it do not count
            // Next `w` and `W` at or after `from` (position of the token's second byte), or n.
            func next(_ c: Int32, _ from: Int) -> Int {
                guard from < n, let r = memchr(base + from, c, n - from) else { return n }
                return base.distance(to: r.assumingMemoryBound(to: UInt8.self))
            }
            var lower = next(0x77, 1), upper = next(0x57, 1)
            while true {
                let w = min(lower, upper)
                let p = w - 1
                if p + length > n { break }
                if w == lower { lower = next(0x77, w + 1) } else { upper = next(0x57, w + 1) }
                if p >= resume, base[p] | 0x20 == 0x6D, base[p + 2] | 0x20 == 0x63, base[p + 3] | 0x20 == 0x74,
                   let t = token(base, p) {
                    out.append(t)
                    resume = p + length
                }
            }
            return out
        }
    }

    /// The token at p (prefix already matched, p + length <= count), lower-cased, or nil.
    static func token(_ b: UnsafePointer<UInt8>, _ p: Int) -> String? {
        for k in 4..<length where !isAlphabet(lower(b[p + k])) { return nil }
        return String(unsafeUninitializedCapacity: length) { out in
            out[0] = 0x6D; out[1] = 0x77; out[2] = 0x63; out[3] = 0x74
            for k in 4..<length { out[k] = lower(b[p + k]) }
            return length
        }
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }
    @inline(__always) static func isAlphabet(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 50 && c <= 55) }
}
