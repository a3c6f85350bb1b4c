/// Appends compact JSON to a byte buffer: the normalized documents are written directly as
/// bytes (no dictionaries, no JSONSerialization) because this runs once per ingested event.
/// It owns a raw buffer (memcpy appends, no per-byte uniqueness checks) and hands back an
/// array at the end; non-copyable so the buffer has exactly one owner.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    /// Whether the container being written needs a ',' before its next member.
    private var needsComma = false

    public init(capacity: Int) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    public consuming func finish() -> [UInt8] {
        let result = [UInt8](UnsafeBufferPointer(start: base, count: count))
        return result  // deinit frees the buffer
    }

    @inline(__always) private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        reserve(length)
        (base + count).update(from: bytes, count: length)
        count += length
    }

    public mutating func beginObject() {
        comma()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginObject(_ key: StaticString) {
        self.key(key)
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func beginArray(_ key: StaticString) {
        self.key(key)
        append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":` (a literal that needs no escaping).
    mutating func key(_ key: StaticString) {
        reserve(key.utf8CodeUnitCount + 4)
        if needsComma { base[count] = UInt8(ascii: ","); count += 1 }
        base[count] = UInt8(ascii: "\"")
        (base + count + 1).update(from: key.utf8Start, count: key.utf8CodeUnitCount)
        count += key.utf8CodeUnitCount + 1
        base[count] = UInt8(ascii: "\"")
        base[count + 1] = UInt8(ascii: ":")
        count += 2
        needsComma = true
    }

    public mutating func key(_ key: String) {
        comma()
        appendEscaped(key)
        append(UInt8(ascii: ":"))
        needsComma = true
    }

    public mutating func string(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        appendEscaped(value)
    }

    /// An array element or other bare string value.
    public mutating func string(_ value: String) {
        comma()
        appendEscaped(value)
        needsComma = true
    }

    public mutating func timestamp(_ key: StaticString, _ milliseconds: Int64) {
        self.key(key)
        // `"YYYY-MM-DDTHH:MM:SS.mmmZ"`, 26 bytes, formatted in place.
        reserve(26)
        Timestamps.formatQuoted(milliseconds, into: base + count)
        count += 26
    }

    /// A number written as Swift prints it (`0.75`, `12`); non-finite values as `null`.
    public mutating func number(_ key: StaticString, _ value: Double) {
        self.key(key)
        let text = value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)) : "null"
        appendEscapedFree(text)
    }

    public mutating func integer(_ key: StaticString, _ value: Int) {
        self.key(key)
        appendEscapedFree(String(value))
    }

    /// Text known to need no escaping (digits, signs, `.`, `e`).
    private mutating func appendEscapedFree(_ text: String) {
        var text = text
        text.withUTF8 { append($0.baseAddress!, $0.count) }
    }

    /// A member copied from a parsed body: the key's raw bytes, then the value compacted.
    mutating func member(_ scanner: JSONScanner, key: Int, value: Int) {
        comma()
        scanner.write(key, into: &self)
        append(UInt8(ascii: ":"))
        scanner.write(value, into: &self)
        needsComma = true
    }

    /// `"key":<value copied from a parsed body>`.
    mutating func value(_ key: StaticString, _ scanner: JSONScanner, _ node: Int?) {
        guard let node else { return }
        self.key(key)
        scanner.write(node, into: &self)
    }

    @inline(__always) private mutating func comma() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    /// RFC 8259 section 7: quote, backslash and controls escaped; everything else as UTF-8.
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            reserve(buffer.count + 2)
            base[count] = UInt8(ascii: "\"")
            count += 1
            var runStart = 0
            for i in 0..<buffer.count {
                let b = buffer[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if i > runStart { append(buffer.baseAddress.unsafelyUnwrapped + runStart, i - runStart) }
                runStart = i + 1
                append(UInt8(ascii: "\\"))
                switch b {
                case 0x0A: append(UInt8(ascii: "n"))
                case 0x0D: append(UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "t"))
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): append(b)
                default:
                    let hex: StaticString = "0123456789abcdef"
                    append(UInt8(ascii: "u")); append(48); append(48)
                    append(hex.utf8Start[Int(b >> 4)]); append(hex.utf8Start[Int(b & 15)])
                }
            }
            if buffer.count > runStart { append(buffer.baseAddress.unsafelyUnwrapped + runStart, buffer.count - runStart) }
            append(UInt8(ascii: "\""))
        }
    }
}
