/// Serialises responses (RFC 9112 §4, §5, §7.1) by appending UTF-8 views in bulk.
public enum HTTPResponseEncoder {
    /// Appends `HTTP/1.1 200 OK\r\nName: value\r\n…\r\n`.
    ///
    /// CR, LF and NUL in the reason phrase, names or values become spaces: a handler that copies
    /// request data into a header must not be able to split the response (RFC 9110 §5.5).
    public static func encodeHead(_ head: HTTPResponseHead, into buffer: inout [UInt8]) {
        encodeHeadStart(head, into: &buffer)
        encodeHeadEnd(into: &buffer)
    }

    /// The status line and `head`'s fields without the blank line that ends the head, so that a
    /// server can append its own framing fields (`encodeField`, `encodeContentLength`, or
    /// pre-encoded lines such as a cached `Date`) before `encodeHeadEnd`.
    public static func encodeHeadStart(_ head: HTTPResponseHead, into buffer: inout [UInt8]) {
        // Room for the framing fields a server usually appends after this.
        var size = 128 &+ head.status.reasonPhrase.utf8.count
        for field in head.headers {
            size &+= field.name.utf8.count &+ field.value.utf8.count &+ 4
        }
        buffer.reserveCapacity(buffer.count &+ size)

        appendVersion(head.version, into: &buffer)
        buffer.append(ASCII.space)
        appendStatusCode(head.status.code, into: &buffer)
        buffer.append(ASCII.space)
        appendSafe(head.status.reasonPhrase, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
        for field in head.headers {
            encodeField(name: field.name, value: field.value, into: &buffer)
        }
    }

    /// Appends one field line, `Name: value\r\n` (RFC 9112 §5), neutralised like `encodeHead`.
    public static func encodeField(name: String, value: String, into buffer: inout [UInt8]) {
        appendSafe(name, into: &buffer)
        buffer.append(ASCII.colon)
        buffer.append(ASCII.space)
        appendSafe(value, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// Appends `Content-Length: <length>\r\n` without building a String for the number.
    public static func encodeContentLength(_ length: Int, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: contentLengthPrefix)
        appendDecimal(max(length, 0), into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// Appends the empty line that ends a head (RFC 9112 §2.1).
    public static func encodeHeadEnd(into buffer: inout [UInt8]) {
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// Appends one chunk, `<hex size>\r\n<bytes>\r\n`. Nothing for empty input: a zero-size
    /// chunk would end the body (§7.1).
    public static func encodeChunk(_ bytes: some Collection<UInt8>, into buffer: inout [UInt8]) {
        let count = bytes.count
        guard count > 0 else { return }
        buffer.reserveCapacity(buffer.count &+ count &+ 20)
        appendHex(count, into: &buffer)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
        buffer.append(contentsOf: bytes)
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// Appends the last chunk with an empty trailer section, `0\r\n\r\n`.
    public static func encodeLastChunk(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: [0x30, ASCII.cr, ASCII.lf, ASCII.cr, ASCII.lf])
    }

    static func appendVersion(_ version: HTTPVersion, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: [0x48, 0x54, 0x54, 0x50, ASCII.slash])  // "HTTP/"
        if (0...9).contains(version.major), (0...9).contains(version.minor) {
            buffer.append(0x30 &+ UInt8(version.major))
            buffer.append(UInt8(ascii: "."))
            buffer.append(0x30 &+ UInt8(version.minor))
        } else {
            buffer.append(contentsOf: "\(version.major).\(version.minor)".utf8)
        }
    }

    static func appendStatusCode(_ code: Int, into buffer: inout [UInt8]) {
        if (100...999).contains(code) {
            buffer.append(0x30 &+ UInt8(code / 100))
            buffer.append(0x30 &+ UInt8(code / 10 % 10))
            buffer.append(0x30 &+ UInt8(code % 10))
        } else {
            buffer.append(contentsOf: String(code).utf8)
        }
    }

    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)

    static func appendDecimal(_ value: Int, into buffer: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor &*= 10 }
        while divisor > 0 {
            buffer.append(0x30 &+ UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    static func appendHex(_ value: Int, into buffer: inout [UInt8]) {
        let digits = (Int.bitWidth &- value.leadingZeroBitCount &+ 3) / 4
        for shift in stride(from: (max(digits, 1) &- 1) &* 4, through: 0, by: -4) {
            let nibble = UInt8((value >> shift) & 0xF)
            buffer.append(nibble < 10 ? 0x30 &+ nibble : 0x57 &+ nibble)
        }
    }

    /// Bulk append when the text is clean (the normal case), byte-wise replacement otherwise.
    static func appendSafe(_ text: String, into buffer: inout [UInt8]) {
        let utf8 = text.utf8
        let clean = utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains(where: isUnsafeHeaderByte)
        } ?? !utf8.contains(where: isUnsafeHeaderByte)
        if clean {
            buffer.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                buffer.append(isUnsafeHeaderByte(byte) ? ASCII.space : byte)
            }
        }
    }

    @inline(__always)
    static func isUnsafeHeaderByte(_ byte: UInt8) -> Bool {
        byte == ASCII.cr || byte == ASCII.lf || byte == 0
    }
}
