/// An IP address in 16-byte canonical form (IPv4 as the mapped `::ffff:a.b.c.d`), so that
/// `1.2.3.4`, `::ffff:1.2.3.4`, `2001:db8::1` and `2001:0db8:0:0:0:0:0:1` compare equal
/// where they are the same address. Two words, so hashing and masking are cheap.
public struct IOCAddress: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Whether it is an IPv4 address (mapped form); CIDR prefixes of those count from bit 96.
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (zero compression, embedded IPv4 tail),
    /// tolerating `[...]` brackets and a `%zone` suffix; nil for anything else.
    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        guard let parsed = copy.withUTF8({ IOCAddress.parse($0) }) else { return nil }
        self = parsed
    }

    static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> IOCAddress? {
        var bytes = raw
        if bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            bytes = UnsafeBufferPointer(rebasing: bytes[1..<bytes.count - 1])
        }
        if let zone = bytes.firstIndex(of: UInt8(ascii: "%")) { bytes = UnsafeBufferPointer(rebasing: bytes[..<zone]) }
        guard !bytes.isEmpty, bytes.count <= 45 else { return nil }
        if bytes.contains(UInt8(ascii: ":")) { return parseV6(bytes) }
        guard let v4 = parseV4(bytes[...]) else { return nil }
        return IOCAddress(high: 0, low: 0xFFFF_0000_0000 | UInt64(v4))
    }

    static func parseV4(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
            } else {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard part <= 255 else { return nil }
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    static func parseV6(_ bytes: UnsafeBufferPointer<UInt8>) -> IOCAddress? {
        var words = SIMD8<UInt16>()
        var count = 0
        var gap = -1
        var index = 0
        let end = bytes.count
        let colon = UInt8(ascii: ":")
        if bytes[0] == colon {
            guard end >= 2, bytes[1] == colon else { return nil }
            gap = 0
            index = 2
        }
        while index < end {
            let start = index
            var value: UInt32 = 0
            var digits = 0
            while index < end, let hex = hexValue(bytes[index]) {
                value = value << 4 | UInt32(hex)
                digits += 1
                index += 1
                if digits > 4 { return nil }
            }
            if index < end && bytes[index] == UInt8(ascii: ".") {
                // An embedded IPv4 tail (`::ffff:1.2.3.4`) fills the last two words.
                guard count <= 6, let v4 = parseV4(bytes[start..<end]) else { return nil }
                words[count] = UInt16(v4 >> 16)
                words[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                index = end
                break
            }
            guard digits > 0, count < 8 else { return nil }
            words[count] = UInt16(value)
            count += 1
            if index == end { break }
            guard bytes[index] == colon else { return nil }
            index += 1
            if index < end && bytes[index] == colon {
                guard gap < 0 else { return nil }
                gap = count
                index += 1
            } else if index == end {
                return nil  // a single trailing colon
            }
        }
        if gap >= 0 {
            guard count < 8 else { return nil }
            // Slide the words after the gap to the end; the gap becomes zeros.
            let shift = 8 - count
            var expanded = SIMD8<UInt16>()
            for i in 0..<gap { expanded[i] = words[i] }
            for i in gap..<count { expanded[i + shift] = words[i] }
            words = expanded
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(words[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(words[i]) }
        return IOCAddress(high: high, low: low)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The address with all but the first `bits` (0...128) bits cleared.
    public func masked(_ bits: Int) -> IOCAddress {
        if bits >= 128 { return self }
        if bits <= 0 { return IOCAddress(high: 0, low: 0) }
        if bits >= 64 {
            let keep = bits - 64
            return IOCAddress(high: high, low: keep == 0 ? 0 : low & ~(UInt64.max >> UInt64(keep)))
        }
        return IOCAddress(high: high & ~(UInt64.max >> UInt64(bits)), low: 0)
    }

    /// Dotted quad for IPv4, else eight full hex words (no compression; for messages).
    public var description: String {
        if isIPv4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
        }
        var words: [String] = []
        for word in [high, low] {
            for index in 0..<4 {
                let shift = UInt64(48 - 16 * index)
                words.append(String((word >> shift) & 0xFFFF, radix: 16))
            }
        }
        return words.joined(separator: ":")
    }
}
