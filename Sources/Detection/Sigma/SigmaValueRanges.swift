import Ingestion

/// The byte ranges of every scalar value of a document (keys skipped), for the prefilter
/// scan: unescaped strings and numbers point into the document bytes; escaped strings are
/// decoded into `decoded`, booleans spelled there too. A direct walk of the tape, no closures.
struct SigmaValueRanges {
    var ranges: [SIMD2<Int32>] = []
    /// Escaped strings with only one-character escapes (`\\`, `\"`, `\n`...): scanned in place,
    /// unescaping on the fly (Windows paths are all like this).
    var escapedRanges: [SIMD2<Int32>] = []
    var decoded: [UInt8] = []
    var decodedRanges: [SIMD2<Int32>] = []

    mutating func collect(_ doc: JSONScanner) {
        ranges.reserveCapacity(doc.nodes.count / 2)
        doc.nodes.withUnsafeBufferPointer { tape in walk(doc, tape, 0) }
    }

    private mutating func walk(_ doc: JSONScanner, _ tape: UnsafeBufferPointer<JSONScanner.Node>, _ node: Int) {
        let n = tape[node]
        switch n.kind {
        case .object:
            var child = node + 1
            let end = Int(n.next)
            while child < end {
                let value = child + 1
                walk(doc, tape, value)
                child = Int(tape[value].next)
            }
        case .array:
            var child = node + 1
            let end = Int(n.next)
            while child < end {
                walk(doc, tape, child)
                child = Int(tape[child].next)
            }
        case .string where n.escaped:
            if !doc.bytes[Int(n.start)..<Int(n.end)].contains(UInt8(ascii: "u")) || !Self.hasUnicodeEscape(doc.bytes, Int(n.start), Int(n.end)) {
                escapedRanges.append(SIMD2(Int32(n.start), Int32(n.end)))
                return
            }
            let start = Int32(decoded.count)
            decoded += doc.decodedBytes(node)
            decodedRanges.append(SIMD2(start, Int32(decoded.count)))
        case .string, .number:
            ranges.append(SIMD2(Int32(n.start), Int32(n.end)))
        case .true:
            append("true")
        case .false:
            append("false")
        case .null:
            break
        }
    }

    /// Whether a string's raw bytes hold a `\uXXXX` escape (which needs real decoding).
    static func hasUnicodeEscape(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if bytes[i] == UInt8(ascii: "\\") {
                if i + 1 < end && bytes[i + 1] == UInt8(ascii: "u") { return true }
                i += 2
            } else {
                i += 1
            }
        }
        return false
    }

    private mutating func append(_ word: StaticString) {
        let start = Int32(decoded.count)
        decoded.append(contentsOf: UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
        decodedRanges.append(SIMD2(start, Int32(decoded.count)))
    }
}
