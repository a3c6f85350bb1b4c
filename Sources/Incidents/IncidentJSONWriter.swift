import MWRASPCore

/// A minimal JSON writer appending UTF-8 to a byte buffer, for the hand-written encoders of
/// `Incident+JSON.swift` (Foundation's `JSONEncoder` is slow on Linux and the pipeline encodes
/// every touched incident). It writes what `JSONEncoder` with `[.sortedKeys,
/// .withoutEscapingSlashes]` writes: the callers emit keys in sorted order, strings are escaped
/// per RFC 8259 (`"`, `\` and the C0 controls; non-ASCII passed through as UTF-8), doubles as
/// their shortest round-trip `description` with a trailing `.0` dropped, as Foundation does.
///
/// Commas are placed by one flag: a container opens with none pending, every value (and every
/// closed container) leaves one pending for the next key or element.
struct IncidentJSONWriter {
    private(set) var bytes: [UInt8]
    private var needsComma = false

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: containers

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// `"name":`. The names are the `CodingKeys`' raw values: plain ASCII, never escaped.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: values

    mutating func string(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { appendEscaped($0) }
        needsComma = true
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A string known to need no escaping (enum raw values, RFC 3339 text).
    mutating func plainString(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func int(_ value: Int) {
        separate()
        appendInteger(Int64(value))
        needsComma = true
    }

    /// `JSONEncoder` writes `value.description` minus a trailing `.0` (`1.0` → `1`,
    /// `0.30000000000000004`, `1e-05`, `1e+16`): all valid JSON that parses back to the same
    /// Double. Non-finite values, which `JSONEncoder` refuses (it throws), are written as `null`
    /// here; `IncidentFinding` clamps confidence to 0...1 but a NaN survives the clamp.
    mutating func double(_ value: Double) {
        separate()
        needsComma = true
        guard value.isFinite else {
            appendASCII("null")
            return
        }
        // Small integral values (0 and 1 are the usual confidences) without formatting a String.
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            if value == 0, value.sign == .minus { bytes.append(UInt8(ascii: "-")) }  // "-0.0" → "-0"
            appendInteger(Int64(value))
            return
        }
        var text = value.description
        text.withUTF8 { utf8 in
            // Integral values up to 2^53 are spelled `1000000000000000.0`: drop the `.0` like Foundation.
            let count = utf8.count
            if count > 2, utf8[count - 2] == UInt8(ascii: "."), utf8[count - 1] == UInt8(ascii: "0") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<count - 2]))
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }

    /// An RFC 3339 timestamp string, as `RFC3339.format` spells it.
    mutating func time(_ milliseconds: Int64) {
        separate()
        needsComma = true
        if !RFC3339.append(milliseconds, to: &bytes) {
            bytes.append(UInt8(ascii: "\""))
            var text = RFC3339.format(milliseconds)
            text.withUTF8 { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    mutating func severity(_ severity: Severity) {
        switch severity {
        case .info: plainLiteral("info")
        case .low: plainLiteral("low")
        case .medium: plainLiteral("medium")
        case .high: plainLiteral("high")
        case .critical: plainLiteral("critical")
        }
    }

    // MARK: bytes

    private mutating func plainLiteral(_ text: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendInteger(_ value: Int64) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // At most 20 digits, written backwards into a fixed buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index..<20]))
        }
    }

    private static let hex: StaticString = "0123456789abcdef"

    /// `"` + the bytes with `"`, `\` and 0x00-0x1F escaped + `"`. Runs of bytes that need no
    /// escaping are copied in one go.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                Self.hex.withUTF8Buffer { hex in
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0xF)])
                }
            }
            index += 1
            start = index
        }
        if start < count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<count])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
