/// A stored event's id: 26 characters of Crockford base32 (a ULID: 48 bits of milliseconds,
/// then 80 random bits), so ids sort by arrival time and make good pagination cursors.
public struct EventID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard rawValue.utf8.count == 26, rawValue.utf8.allSatisfy({ Self.digitValues[Int($0)] != Self.notADigit }) else { return nil }
        self.rawValue = rawValue
    }

    /// A new id for `milliseconds` since the Unix epoch.
    public init<Generator: RandomNumberGenerator>(milliseconds: Int64, using generator: inout Generator) {
        var high = UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF  // 48 bits of time
        let randomHigh = generator.next() & 0xFFFF                   // 16 random bits
        let randomLow = generator.next()                             // 64 random bits
        high = high << 16 | randomHigh
        // 128 bits = high (64) + randomLow (64), written as 26 base32 digits (130 bits, the
        // first digit carries 3 bits).
        self.rawValue = String(unsafeUninitializedCapacity: 26) { digits in
            var low = randomLow
            var top = high
            for index in stride(from: 25, through: 0, by: -1) {
                digits[index] = Self.alphabet[Int(low & 31)]
                low = (low >> 5) | (top << 59)
                top >>= 5
            }
            return 26
        }
    }

    public init(milliseconds: Int64) {
        var generator = FastRandom()
        self.init(milliseconds: milliseconds, using: &generator)
    }

    /// The time part, in milliseconds since the Unix epoch.
    public var milliseconds: Int64 {
        var value: UInt64 = 0
        for byte in rawValue.utf8.prefix(10) { value = value << 5 | UInt64(Self.digitValues[Int(byte)] & 31) }
        return Int64(value)
    }

    public var description: String { rawValue }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EventID(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an event id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Each byte's digit value, or `notADigit`: ids are validated each time a row is read, and
    /// a search of the alphabet per character was 2% of the detection pipeline's CPU.
    private static let notADigit: UInt8 = 0xFF
    private static let digitValues: [UInt8] = {
        var table = [UInt8](repeating: notADigit, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
}
