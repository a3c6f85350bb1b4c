import Ingestion

/// What a field resolved to, with its values kept flat in a `SigmaValueArena`.
struct SigmaFlatField {
    enum State: UInt8 { case absent, null, values }
    var state: State
    /// The field's values are spans `first ..< first + count` of the arena.
    var first: Int32
    var count: Int32

    static let absent = SigmaFlatField(state: .absent, first: 0, count: 0)
}

/// One event's field values for text matching, in three growing buffers instead of two
/// arrays per value (`SigmaValueText`): the values' bytes one after the other, the same
/// bytes ASCII-folded at the same offsets, and each value's span (start, length). An
/// evaluator fills it as rules ask for fields; nothing is allocated per value.
struct SigmaValueArena {
    private(set) var raw: [UInt8] = []
    private(set) var folded: [UInt8] = []
    /// (start, length) into `raw` / `folded`.
    private(set) var spans: [SIMD2<Int32>] = []

    init() {
        raw.reserveCapacity(1024)
        folded.reserveCapacity(1024)
        spans.reserveCapacity(32)
    }

    var capacityBytes: Int { raw.capacity + folded.capacity + spans.capacity * 8 }

    mutating func removeAll() {
        raw.removeAll(keepingCapacity: true)
        folded.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
    }

    /// Appends the texts of `node` exactly as `SigmaEventView.texts` gives them: strings
    /// decoded, numbers as written, booleans as `true`/`false`, `{"#text": ...}` as its
    /// text, arrays as their scalar elements.
    mutating func append(_ doc: JSONScanner, _ node: Int) -> SigmaFlatField {
        switch doc.kind(node) {
        case .null:
            return SigmaFlatField(state: .null, first: 0, count: 0)
        case .object:
            if let text = doc.member(node, "#text") { return append(doc, text) }
            return .absent
        case .array:
            let first = Int32(spans.count)
            for element in doc.elements(node) { _ = appendScalar(doc, element) }
            return SigmaFlatField(state: .values, first: first, count: Int32(spans.count) - first)
        default:
            let first = Int32(spans.count)
            guard appendScalar(doc, node) else { return .absent }
            return SigmaFlatField(state: .values, first: first, count: 1)
        }
    }

    /// One scalar's text as a new span (`SigmaEventView.scalar`); false for other nodes.
    private mutating func appendScalar(_ doc: JSONScanner, _ node: Int) -> Bool {
        let n = doc.nodes[node]
        let start = raw.count
        switch n.kind {
        case .string where n.escaped:
            // Copied whole, then its one-character escapes decoded in place (decoded text is
            // never longer): one copy and one tight pass. Windows paths escape every
            // backslash, and appending the runs between escapes one by one cost a tenth of
            // the Sigma engine's time. A `\u` escape hands the string to JSONScanner's decoder.
            doc.bytes.withUnsafeBufferPointer { raw.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)])) }
            let unescaped: Int? = Self.unescape.withUnsafeBufferPointer { table in
                raw.withUnsafeMutableBufferPointer { r -> Int? in
                    var read = start, write = start
                    let end = r.count
                    while read < end {
                        let b = r[read]
                        if b == 0x5C && read + 1 < end {
                            let next = r[read + 1]
                            if next == UInt8(ascii: "u") { return nil }
                            r[write] = table[Int(next)]
                            read &+= 2
                        } else {
                            r[write] = b
                            read &+= 1
                        }
                        write &+= 1
                    }
                    return write
                }
            }
            if let unescaped {
                raw.removeLast(raw.count - unescaped)
            } else {
                raw.removeLast(raw.count - start)
                raw += doc.decodedBytes(node)
            }
        case .string, .number:
            doc.bytes.withUnsafeBufferPointer { raw.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(n.start)..<Int(n.end)])) }
        case .true:
            raw += "true".utf8
        case .false:
            raw += "false".utf8
        default:
            return false
        }
        // The folded copy: the same bytes, then ASCII upper case lowered in place.
        folded.append(contentsOf: raw[start...])
        folded.withUnsafeMutableBufferPointer { f in
            for k in start..<f.count where f[k] >= 0x41 && f[k] <= 0x5A { f[k] += 32 }
        }
        spans.append(SIMD2(Int32(start), Int32(raw.count - start)))
        return true
    }

    /// JSON's one-character escapes (`\n` -> 0x0A...); `\u` is decoded by JSONScanner.
    private static let unescape: [UInt8] = (0..<256).map { b -> UInt8 in
        switch UInt8(b) {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: UInt8(b)  // `"`, `\`, `/`
        }
    }
}
