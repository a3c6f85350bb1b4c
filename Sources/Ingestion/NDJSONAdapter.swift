import MWRASPCore

/// `POST /v1/events/bulk`: newline-delimited JSON (one generic event per line, LF or CRLF).
/// Per DESIGN.md section 5, each bad line is reported by its 1-based line number and the
/// rest are accepted. Blank (or whitespace-only) lines are skipped but still counted, so line
/// numbers match the sender's editor. This is the ingest hot path.
public enum NDJSONAdapter {
    public static func parse(_ body: UnsafeRawBufferPointer, context: inout IngestContext) -> BulkResult {
        var result = BulkResult()
        guard let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self), body.count > 0 else { return result }
        result.events.reserveCapacity(min(body.count / 256 + 1, 100_000))
        let count = body.count
        var lineStart = 0
        var lineNumber = 0
        while lineStart < count {
            lineNumber += 1
            let lineEnd = Self.newline(base, from: lineStart, count: count)
            let next = lineEnd + 1
            var end = lineEnd
            if end > lineStart && base[end - 1] == 0x0D { end -= 1 }
            defer { lineStart = next }

            var first = lineStart
            while first < end && (base[first] == 0x20 || base[first] == 0x09) { first += 1 }
            if first == end { continue }  // blank line

            let length = end - lineStart
            if length > context.maxEventBytes {
                var error = context.tooLarge(length)
                error.reason = "line \(lineNumber): " + error.reason
                error.line = lineNumber
                result.rejected.append(error)
                continue
            }
            let line = [UInt8](UnsafeBufferPointer(start: base + lineStart, count: length))
            do {
                let scanner = try JSONScanner(line)
                result.events.append(try GenericEventAdapter.event(scanner, object: scanner.root, original: line, context: &context))
            } catch {
                result.rejected.append(IngestError(reason: "line \(lineNumber): \(error.reason)", line: lineNumber))
            }
        }
        return result
    }

    /// The index of the next LF at or after `from`, or `count`; eight bytes at a time.
    @inline(__always)
    static func newline(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var index = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) ^ (ones &* 0x0A)
            let zero = (word &- ones) & ~word & 0x8080_8080_8080_8080
            if zero != 0 { return index + zero.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < count && base[index] != 0x0A { index += 1 }
        return index
    }

    public static func parse(_ body: [UInt8], context: inout IngestContext) -> BulkResult {
        body.withUnsafeBytes { parse($0, context: &context) }
    }
}
