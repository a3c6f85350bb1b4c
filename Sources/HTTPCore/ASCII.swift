/// Byte classes and scanning helpers shared by the parser and the encoder.
///
/// Classes are 128-bit masks rather than lookup tables: a global array costs a lazy-initialisation
/// check on every access, a literal mask costs nothing.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let question: UInt8 = 0x3F
    static let hash: UInt8 = 0x23
    static let slash: UInt8 = 0x2F

    /// tchar (RFC 9110 §5.6.2): ALPHA / DIGIT / "!#$%&'*+-.^_`|~".
    private static let tcharLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tcharHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    @inline(__always)
    static func isTChar(_ byte: UInt8) -> Bool {
        if byte < 64 { return (tcharLow >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (tcharHigh >> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }

    /// Bytes of a URI authority (RFC 3986 §3.2: unreserved / pct-encoded / sub-delims / ":" /
    /// "[" / "]"), used for Host values and authority-form targets. No "@": userinfo is refused.
    private static let authorityLow: UInt64 = 0x2FFF_7FF2_0000_0000
    private static let authorityHigh: UInt64 = 0x47FF_FFFE_AFFF_FFFE

    @inline(__always)
    static func isAuthorityByte(_ byte: UInt8) -> Bool {
        if byte < 64 { return (authorityLow >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (authorityHigh >> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }

    /// field-vchar / SP / HTAB / obs-text (RFC 9110 §5.5): anything but CTLs (HTAB allowed) and DEL.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == htab
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == htab
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }

    @inline(__always)
    static func isAlpha(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26
    }

    /// Value of a HEXDIG, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        if byte &- 0x30 < 10 { return Int(byte &- 0x30) }
        let folded = byte | 0x20
        if folded &- 0x61 < 6 { return Int(folded &- 0x61 &+ 10) }
        return nil
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Exact byte comparison against an ASCII literal.
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let other = literal.utf8Start
        for index in 0..<bytes.count where bytes[index] != other[index] {
            return false
        }
        return true
    }

    /// Case-insensitive comparison against a lowercase ASCII literal made of letters, digits and
    /// '-'. OR-ing 0x20 folds case; for tchar input it cannot turn a non-letter into a letter.
    static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let other = literal.utf8Start
        for index in 0..<bytes.count where bytes[index] | 0x20 != other[index] {
            return false
        }
        return true
    }

    /// Case-insensitive (ASCII only) comparison of two strings, used for field names.
    static func equalsCaseInsensitive(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        var lhs = lhs
        var rhs = rhs
        // Native strings are contiguous, so this is a flat byte loop; otherwise iterate.
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                for index in 0..<left.count where lowercased(left[index]) != lowercased(right[index]) {
                    return false
                }
                return true
            }
        }
    }

    /// Index of the first byte in `buffer[from..<end]` that is not allowed in a field value
    /// (a CTL other than HTAB, or DEL), or nil.
    ///
    /// Eight bytes at a time: `(x - 0x20…) & ~x & 0x80…` is non-zero when some byte is below
    /// 0x20 (bytes ≥ 0x80 never trigger it, so obs-text passes), and the zero-byte test on
    /// `x ^ 0x7F…` finds DEL. A flagged word, which may just hold an HTAB, is rechecked bytewise.
    @inline(__always)
    static func firstInvalidFieldValueByte(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
        guard from < end, let base = buffer.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var index = from
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let low = (word &- 0x2020_2020_2020_2020) & ~word
            let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
            let delFlags = (del &- 0x0101_0101_0101_0101) & ~del
            if (low | delFlags) & 0x8080_8080_8080_8080 != 0 {
                for offset in index..<(index &+ 8) where !isFieldValueByte(base[offset]) {
                    return offset
                }
            }
            index &+= 8
        }
        while index < end {
            if !isFieldValueByte(base[index]) { return index }
            index &+= 1
        }
        return nil
    }

    /// Index of the first `target` in `buffer[from..<end]`, eight bytes at a time.
    ///
    /// SWAR zero-byte test: after XOR with the pattern, `(x - 0x01…) & ~x & 0x80…` flags the
    /// lowest zero byte exactly (borrows only create false flags above a real one), and memory
    /// order is little-endian order after `UInt64(littleEndian:)`.
    @inline(__always)
    static func firstIndex(
        of target: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int
    ) -> Int? {
        guard from < end, let base = buffer.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let pattern = UInt64(target) &* 0x0101_0101_0101_0101
        var index = from
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ pattern
            let flags = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if flags != 0 {
                return index &+ (flags.trailingZeroBitCount >> 3)
            }
            index &+= 8
        }
        while index < end {
            if base[index] == target { return index }
            index &+= 1
        }
        return nil
    }
}
