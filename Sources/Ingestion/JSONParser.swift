/// The recursive-descent validator behind `JSONScanner` (RFC 8259 section 2-8). Works on an
/// unsafe buffer because this loop is the ingest hot path; every read is bounds-checked
/// against `count` by hand.
struct JSONParser {
    let base: UnsafePointer<UInt8>?
    let count: Int
    var position: Int
    let maxDepth: Int
    let maxValues: Int
    let allowTrailingCommas: Bool
    /// The tape, in a raw buffer: `Array.append` costs a uniqueness check (a runtime call) per
    /// node, which was a measurable share of the NDJSON hot path. `finish()` copies it out;
    /// the owner must call `release()` (also on errors).
    private var tape: UnsafeMutablePointer<JSONScanner.Node>?
    private(set) var tapeCount = 0
    private var tapeCapacity = 0
    /// `validate` only checks; it keeps no tape.
    let recording: Bool

    init(buffer: UnsafeBufferPointer<UInt8>, position: Int, options: JSONScanner.Options, recording: Bool, capacity: Int = 0) {
        self.base = buffer.baseAddress
        self.count = buffer.count
        self.position = position
        self.maxDepth = options.maxDepth
        self.maxValues = options.maxValues
        self.allowTrailingCommas = options.allowTrailingCommas
        self.recording = recording
        if recording {
            tapeCapacity = max(capacity, 16)
            tape = .allocate(capacity: tapeCapacity)
        }
    }

    mutating func release() {
        tape?.deallocate()
        tape = nil
    }

    /// The tape as an array.
    func nodes() -> [JSONScanner.Node] {
        guard let tape else { return [] }
        return Array(UnsafeBufferPointer(start: tape, count: tapeCount))
    }

    private mutating func growTape() {
        let newCapacity = tapeCapacity * 2
        let newTape = UnsafeMutablePointer<JSONScanner.Node>.allocate(capacity: newCapacity)
        if let tape {
            newTape.moveInitialize(from: tape, count: tapeCount)
            tape.deallocate()
        }
        tape = newTape
        tapeCapacity = newCapacity
    }

    @inline(__always) private func byte(_ index: Int) -> UInt8 { base.unsafelyUnwrapped[index] }

    func syntaxError(_ message: String, at offset: Int? = nil) -> IngestError {
        IngestError(reason: "invalid JSON at byte \(offset ?? position): \(message)")
    }

    private func unexpected(expected: String) -> IngestError {
        guard position < count else { return syntaxError("unexpected end of input, expected \(expected)") }
        let found = byte(position)
        if found >= 0x80 && UTF8Check.sequenceLength(base.unsafelyUnwrapped, position, count) == nil {
            return IngestError(reason: "invalid UTF-8 at byte \(position)")
        }
        return syntaxError("expected \(expected), found \(Self.describe(found))")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }

    /// RFC 8259 section 2: whitespace is space, tab, LF, CR.
    @inline(__always) mutating func skipWhitespace() {
        var pos = position
        while pos < count {
            let b = byte(pos)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { break }
            pos += 1
        }
        position = pos
    }

    @inline(__always) private mutating func push(_ kind: JSONScanner.Kind, start: Int, end: Int, escaped: Bool = false) {
        guard recording else { return }
        if tapeCount == tapeCapacity { growTape() }
        let index = tapeCount
        (tape.unsafelyUnwrapped + index).initialize(to: JSONScanner.Node(
            kind: kind, escaped: escaped, start: UInt32(truncatingIfNeeded: start),
            end: UInt32(truncatingIfNeeded: end), next: UInt32(truncatingIfNeeded: index + 1)))
        tapeCount = index + 1
    }

    mutating func parseValue(depth: Int) throws(IngestError) {
        // The tape costs 16 bytes per value: without a bound, 10 MiB of `[0,0,...]` would
        // cost 80 MB. Object keys add at most as many again.
        guard !recording || tapeCount < maxValues else {
            throw syntaxError("more than \(maxValues) JSON values in one document")
        }
        skipWhitespace()
        guard position < count else { throw syntaxError("unexpected end of input, expected a value") }
        switch byte(position) {
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true", .true)
        case UInt8(ascii: "f"): try parseLiteral("false", .false)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        default: throw unexpected(expected: "a value")
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ kind: JSONScanner.Kind) throws(IngestError) {
        let length = word.utf8CodeUnitCount
        let start = position
        for offset in 0..<length {
            guard start + offset < count else {
                throw syntaxError("unexpected end of input in literal \(word)", at: start + offset)
            }
            guard byte(start + offset) == word.utf8Start[offset] else {
                position = start + offset
                throw syntaxError("invalid literal, expected \(word)")
            }
        }
        position = start + length
        push(kind, start: start, end: position)
    }

    private mutating func openContainer(_ kind: JSONScanner.Kind, depth: Int) throws(IngestError) -> Int {
        guard depth <= maxDepth else { throw syntaxError("nesting deeper than \(maxDepth) levels") }
        let index = tapeCount
        push(kind, start: position, end: position)
        position += 1
        return index
    }

    private mutating func closeContainer(_ index: Int) {
        position += 1
        guard recording else { return }
        tape.unsafelyUnwrapped[index].end = UInt32(truncatingIfNeeded: position)
        tape.unsafelyUnwrapped[index].next = UInt32(truncatingIfNeeded: tapeCount)
    }

    private mutating func parseObject(depth: Int) throws(IngestError) {
        let index = try openContainer(.object, depth: depth)
        skipWhitespace()
        if position < count && byte(position) == UInt8(ascii: "}") { closeContainer(index); return }
        while true {
            guard position < count, byte(position) == UInt8(ascii: "\"") else {
                throw unexpected(expected: "a string key")
            }
            try parseString()
            skipWhitespace()
            guard position < count, byte(position) == UInt8(ascii: ":") else { throw unexpected(expected: "':'") }
            position += 1
            try parseValue(depth: depth)
            skipWhitespace()
            guard position < count else { throw unexpected(expected: "',' or '}'") }
            let b = byte(position)
            if b == UInt8(ascii: "}") { closeContainer(index); return }
            guard b == UInt8(ascii: ",") else { throw unexpected(expected: "',' or '}'") }
            position += 1
            skipWhitespace()
            if allowTrailingCommas && position < count && byte(position) == UInt8(ascii: "}") {
                closeContainer(index); return
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(IngestError) {
        let index = try openContainer(.array, depth: depth)
        skipWhitespace()
        if position < count && byte(position) == UInt8(ascii: "]") { closeContainer(index); return }
        while true {
            try parseValue(depth: depth)
            skipWhitespace()
            guard position < count else { throw unexpected(expected: "',' or ']'") }
            let b = byte(position)
            if b == UInt8(ascii: "]") { closeContainer(index); return }
            guard b == UInt8(ascii: ",") else { throw unexpected(expected: "',' or ']'") }
            position += 1
            skipWhitespace()
            if allowTrailingCommas && position < count && byte(position) == UInt8(ascii: "]") {
                closeContainer(index); return
            }
        }
    }

    /// RFC 8259 section 7: unescaped bytes are >= 0x20 except '"' and '\'; escapes are the
    /// eight short forms and \uXXXX, with UTF-16 surrogates only as a high-low pair (an
    /// unpaired one cannot become UTF-8, section 8.2). Raw bytes must be UTF-8 (section 8.1).
    private mutating func parseString() throws(IngestError) {
        // `pos` is a local so the scan loop keeps it in a register; `position` (a property of
        // an inout struct) would be stored and reloaded on every byte.
        var pos = position + 1
        let start = pos
        var escaped = false
        let pointer = base.unsafelyUnwrapped
        let count = self.count
        while true {
            // Eight plain ASCII bytes at a time: no quote, backslash, control or high byte.
            while pos + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(pointer + pos).loadUnaligned(as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22)
                let slash = word ^ (ones &* 0x5C)
                let special = (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | (word &- ones &* 0x20) | word) & highs
                if special != 0 {
                    // The lowest flagged byte is exact (borrows only run upwards): jump to it.
                    pos += special.trailingZeroBitCount >> 3
                    break
                }
                pos += 8
            }
            guard pos < count else { throw syntaxError("unterminated string", at: start - 1) }
            let b = pointer[pos]
            if b == UInt8(ascii: "\"") { break }
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\\") {
                pos += 1
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                position = pos
                try parseEscape()
                pos = position
            } else if b < 0x20 {
                throw syntaxError("control character \(Self.describe(b)) must be escaped in a string", at: pos)
            } else {
                guard let length = UTF8Check.sequenceLength(pointer, pos, count) else {
                    throw IngestError(reason: "invalid UTF-8 at byte \(pos)")
                }
                pos += length
            }
        }
        position = pos
        push(.string, start: start, end: pos, escaped: escaped)
        position = pos + 1
    }

    private mutating func parseEscape() throws(IngestError) {
        let escapeStart = position
        position += 1
        guard position < count else { throw syntaxError("unterminated escape sequence", at: escapeStart) }
        switch byte(position) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw syntaxError("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard position + 1 < count, byte(position) == UInt8(ascii: "\\"), byte(position + 1) == UInt8(ascii: "u") else {
                    throw syntaxError("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
                }
                position += 1
                let low = try parseHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw syntaxError("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
                }
            }
        default:
            throw syntaxError("invalid escape sequence")
        }
    }

    /// At the `u` of `\uXXXX`: reads four hex digits, leaves `position` after them.
    private mutating func parseHex4() throws(IngestError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            position += 1
            guard position < count else { throw syntaxError("unterminated \\u escape") }
            guard let digit = JSONScanner.hexValue(byte(position)) else {
                throw syntaxError("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        position += 1
        return value
    }

    /// RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func parseNumber() throws(IngestError) {
        let start = position
        if byte(position) == UInt8(ascii: "-") { position += 1 }
        guard position < count, isDigit(byte(position)) else { throw syntaxError("a number needs a digit") }
        if byte(position) == UInt8(ascii: "0") {
            position += 1
            if position < count && isDigit(byte(position)) { throw syntaxError("leading zeros are not allowed in numbers") }
        } else {
            skipDigits()
        }
        if position < count && byte(position) == UInt8(ascii: ".") {
            position += 1
            guard position < count, isDigit(byte(position)) else { throw syntaxError("a fraction needs a digit after '.'") }
            skipDigits()
        }
        if position < count && (byte(position) | 0x20) == UInt8(ascii: "e") {
            position += 1
            if position < count && (byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-")) { position += 1 }
            guard position < count, isDigit(byte(position)) else { throw syntaxError("an exponent needs a digit") }
            skipDigits()
        }
        push(.number, start: start, end: position)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    @inline(__always) private mutating func skipDigits() {
        var pos = position
        while pos < count && isDigit(byte(pos)) { pos += 1 }
        position = pos
    }
}
