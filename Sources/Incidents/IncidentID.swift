import MWRASPCore

/// Mints incident ids: `inc_` + a ULID (API.md). Monotonic within one book: two incidents opened
/// in the same millisecond (or with a clock that stepped back) still get increasing ids, because
/// the list endpoint pages newest-first by id and a cursor must never skip or repeat one.
struct IncidentIDGenerator: Sendable {
    static let prefix = "inc_"

    private var lastMilliseconds: Int64 = 0
    /// The 80 random bits of the last id: 16 high, 64 low.
    private var randomHigh: UInt16 = 0
    private var randomLow: UInt64 = 0
    /// A seeded generator keeps tests reproducible; production seeds it from
    /// `SystemRandomNumberGenerator`. Ids only need to be unique and ordered, not secret.
    private var random: SplitMix64

    init(seed: UInt64?) {
        var system = SystemRandomNumberGenerator()
        random = SplitMix64(seed: seed ?? system.next())
    }

    /// Continue after restored ids so new ones sort after them.
    mutating func observe(_ id: String) {
        guard let (milliseconds, high, low) = Self.decode(id) else { return }
        if milliseconds > lastMilliseconds || (milliseconds == lastMilliseconds && (high, low) > (randomHigh, randomLow)) {
            lastMilliseconds = milliseconds
            randomHigh = high
            randomLow = low
        }
    }

    mutating func next(milliseconds: Int64) -> String {
        if milliseconds > lastMilliseconds {
            lastMilliseconds = milliseconds
            randomHigh = UInt16(truncatingIfNeeded: random.next())
            randomLow = random.next()
        } else {
            // Same millisecond (or earlier): keep the time, increment the random part.
            let (low, carry) = randomLow.addingReportingOverflow(1)
            randomLow = low
            if carry { randomHigh &+= 1 }
        }
        return Self.prefix + Self.encode(lastMilliseconds, randomHigh, randomLow)
    }

    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// 48 bits of time then 80 random bits, as 26 Crockford base32 digits (the same layout as
    /// `EventID`, so both kinds of id sort the same way).
    private static func encode(_ milliseconds: Int64, _ high: UInt16, _ low: UInt64) -> String {
        var top = (UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF) << 16 | UInt64(high)
        var bottom = low
        var digits = [UInt8](repeating: 0, count: 26)
        for index in stride(from: 25, through: 0, by: -1) {
            digits[index] = alphabet[Int(bottom & 31)]
            bottom = (bottom >> 5) | (top << 59)
            top >>= 5
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static func decode(_ id: String) -> (Int64, UInt16, UInt64)? {
        guard id.hasPrefix(prefix) else { return nil }
        let digits = Array(id.utf8.dropFirst(prefix.utf8.count))
        guard digits.count == 26 else { return nil }
        var top: UInt64 = 0
        var bottom: UInt64 = 0
        for byte in digits {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            top = top << 5 | bottom >> 59
            bottom = bottom << 5 | UInt64(value)
        }
        return (Int64(top >> 16), UInt16(truncatingIfNeeded: top), bottom)
    }
}
