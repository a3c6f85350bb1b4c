import Crypto

/// API tokens: 256 random bits, shown once, stored only as a hash.
///
/// Text form: `mwr_` followed by the 32 bytes in base64url without padding (43 characters).
/// The prefix lets secret scanners and people recognise a leaked MWRASP token.
///
/// Why SHA-256 and not bcrypt/argon2: slow password hashes exist because passwords have little
/// entropy and a stolen hash table can be brute-forced guess by guess. A token here is 256 bits
/// from the system CSPRNG, so there is nothing to guess: inverting SHA-256 on a uniformly random
/// 256-bit input is infeasible at any speed. A fast hash also keeps authentication cheap enough
/// to run on every request on the event-loop thread, and lets the lookup be a dictionary probe
/// keyed by the hash (a salted slow hash would force comparing against every stored token).
public struct TokenSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let prefix = "mwr_"
    /// Bytes of randomness in a token.
    public static let byteCount = 32
    /// base64url length of 32 bytes without padding: ceil(256 / 6).
    static let encodedCount = 43
    /// Full text length, prefix included.
    public static let textLength = 4 + encodedCount

    public let plaintext: String

    private init(validated plaintext: String) {
        self.plaintext = plaintext
    }

    /// "mwr_" + 43 chars base64url (no padding) of 32 bytes from SystemRandomNumberGenerator,
    /// which reads getrandom(2) on Linux.
    public static func generate() -> TokenSecret {
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: byteCount)
        for i in bytes.indices { bytes[i] = rng.next() }
        return TokenSecret(validated: prefix + Base64URL.encode(bytes))
    }

    /// Validates the format: prefix, length, alphabet, and the canonical final character (the
    /// last of the 43 characters carries only 4 bits, its 2 low bits must be zero). Nil otherwise.
    /// Checking the format first lets authentication refuse junk without hashing it.
    public init?(parsing text: String) {
        guard Self.isWellFormed(text) else { return nil }
        self.init(validated: text)
    }

    /// Runs on every request, so it works on the contiguous UTF-8 buffer: iterating String's
    /// UTF8View measured ~210 ns a token (as much as the SHA-256), this ~70 ns.
    static func isWellFormed(_ text: String) -> Bool {
        guard text.utf8.count == textLength else { return false }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes[0] == UInt8(ascii: "m"), bytes[1] == UInt8(ascii: "w"),
                  bytes[2] == UInt8(ascii: "r"), bytes[3] == UInt8(ascii: "_")
            else { return false }
            // OR together every character's table entry: one branch at the end, not one per byte.
            let table = Base64URL.values
            var invalid: UInt8 = 0
            for i in 4..<bytes.count { invalid |= table[Int(bytes[i])] & 0x80 }
            return invalid == 0 && table[Int(bytes[bytes.count - 1])] & 0b11 == 0
        }
    }

    /// SHA-256 of the plaintext, lowercase hex (64 characters). See the type comment for why a
    /// fast hash is right for 256-bit random tokens.
    public var hash: String { Self.hash(of: plaintext) }

    public static func hash(of plaintext: String) -> String {
        Bytes.hex(digest(of: plaintext))
    }

    static func digest(of plaintext: String) -> SHA256.Digest {
        var text = plaintext
        return text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
    }

    /// Constant-time, so comparing a presented secret with a known one leaks no prefix length.
    public static func == (lhs: TokenSecret, rhs: TokenSecret) -> Bool {
        Bytes.constantTimeEqual(lhs.plaintext.utf8, rhs.plaintext.utf8)
    }

    /// Redacted: a secret interpolated into a log line must not leak. Use `plaintext` on purpose.
    public var description: String { "TokenSecret(redacted)" }
    public var debugDescription: String { description }
}

/// base64url (RFC 4648 §5) without padding; only what tokens need.
enum Base64URL {
    private static let alphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            // A full group gives 4 characters; a tail of 1 or 2 bytes gives 2 or 3 (no padding).
            let remaining = bytes.count - i
            let chars = remaining >= 3 ? 4 : remaining + 1
            for k in 0..<chars {
                out.append(alphabet[Int(group >> UInt32(18 - 6 * k) & 0x3F)])
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every byte's 6-bit value, 0xFF outside the alphabet (for the per-request format check).
    static let values: [UInt8] = (0...255).map { value(of: UInt8($0)) ?? 0xFF }

    /// The 6-bit value of a base64url character, nil outside the alphabet.
    static func value(of char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): char - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): char - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
