/// Reading the tape: member iteration, lookups by key or dotted path, typed values.
extension JSONScanner {
    public func kind(_ node: Int) -> Kind { nodes[node].kind }

    /// The `(key, value)` node index pairs of an object, in document order.
    public func members(_ object: Int) -> Members {
        precondition(nodes[object].kind == .object)
        return Members(nodes: nodes, current: object + 1, end: Int(nodes[object].next))
    }

    /// The element node indices of an array.
    public func elements(_ array: Int) -> Elements {
        precondition(nodes[array].kind == .array)
        return Elements(nodes: nodes, current: array + 1, end: Int(nodes[array].next))
    }

    public struct Members: Sequence, IteratorProtocol {
        let nodes: [Node]
        var current: Int
        let end: Int
        public mutating func next() -> (key: Int, value: Int)? {
            guard current < end else { return nil }
            let key = current
            let value = current + 1
            current = Int(nodes[value].next)
            return (key, value)
        }
    }

    public struct Elements: Sequence, IteratorProtocol {
        let nodes: [Node]
        var current: Int
        let end: Int
        public mutating func next() -> Int? {
            guard current < end else { return nil }
            defer { current = Int(nodes[current].next) }
            return current
        }
    }

    /// Runs `body` on a string node's content, escapes decoded (a copy only when escaped).
    @inline(__always)
    func withKeyBytes<R>(_ node: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let n = nodes[node]
        if n.escaped { return decodedBytes(node).withUnsafeBufferPointer(body) }
        return bytes.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)]))
        }
    }

    /// Whether string node `key` spells `name` (escapes decoded).
    public func stringEquals(_ key: Int, _ name: String) -> Bool {
        let node = nodes[key]
        if node.escaped { return decodedBytes(key).elementsEqual(name.utf8) }
        return bytes[Int(node.start)..<Int(node.end)].elementsEqual(name.utf8)
    }

    /// Fast form for literal keys on the hot path.
    @inline(__always)
    func stringEquals(_ key: Int, _ name: StaticString) -> Bool {
        let node = nodes[key]
        if node.escaped { return decodedBytes(key).elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)) }
        let length = Int(node.end - node.start)
        guard length == name.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            let a = buffer.baseAddress.unsafelyUnwrapped + Int(node.start)
            let b = name.utf8Start
            for i in 0..<length where a[i] != b[i] { return false }
            return true
        }
    }

    /// The value of member `name` of `object` (the last one when a key repeats, as most
    /// parsers do), or nil; nil too when `object` is not an object.
    public func member(_ object: Int, _ name: String) -> Int? {
        guard nodes[object].kind == .object else { return nil }
        var found: Int?
        for (key, value) in members(object) where stringEquals(key, name) { found = value }
        return found
    }

    /// Follows `path` through nested objects exactly (`["kibana", "alert", "uuid"]`).
    public func value(at path: [String], from start: Int = 0) -> Int? {
        var current = start
        for name in path {
            guard let next = member(current, name) else { return nil }
            current = next
        }
        return current
    }

    /// Follows a dotted ECS path through nested objects, dotted keys, or any mix of the two
    /// (`{"kibana.alert.rule.name": ...}`, `{"kibana": {"alert.rule.name": ...}}`...), as
    /// Elasticsearch treats them as the same field.
    public func value(atDotted path: String, from start: Int = 0) -> Int? {
        value(atDotted: Array(path.utf8)[...], from: start)
    }

    private func value(atDotted path: ArraySlice<UInt8>, from object: Int) -> Int? {
        guard nodes[object].kind == .object else { return nil }
        var found: Int?
        for (key, value) in members(object) {
            let name = keyBytes(key)
            if name.elementsEqual(path) { found = value; continue }
            if name.count < path.count, path[path.startIndex + name.count] == UInt8(ascii: "."),
               path.starts(with: name), nodes[value].kind == .object,
               let inner = self.value(atDotted: path[(path.startIndex + name.count + 1)...], from: value) {
                found = inner
            }
        }
        return found
    }

    private func keyBytes(_ key: Int) -> ArraySlice<UInt8> {
        let node = nodes[key]
        if node.escaped { return decodedBytes(key)[...] }
        return bytes[Int(node.start)..<Int(node.end)]
    }

    /// A string node's text, escapes decoded; nil for other kinds.
    public func string(_ node: Int) -> String? {
        let n = nodes[node]
        guard n.kind == .string else { return nil }
        if n.escaped { return String(decoding: decodedBytes(node), as: UTF8.self) }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)]), as: UTF8.self)
        }
    }

    public func string(at path: [String], from start: Int = 0) -> String? {
        value(at: path, from: start).flatMap(string)
    }

    /// The exact bytes of a node as they appear in the input (strings with their quotes).
    public func rawBytes(_ node: Int) -> ArraySlice<UInt8> {
        let n = nodes[node]
        if n.kind == .string { return bytes[Int(n.start) - 1..<Int(n.end) + 1] }
        return bytes[Int(n.start)..<Int(n.end)]
    }

    /// The literal text of a number node.
    public func numberText(_ node: Int) -> String? {
        guard nodes[node].kind == .number else { return nil }
        return String(decoding: rawBytes(node), as: UTF8.self)
    }

    public func double(_ node: Int) -> Double? { numberText(node).flatMap(Double.init) }

    public func bool(_ node: Int) -> Bool? {
        switch nodes[node].kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// A string node's content with escapes decoded (RFC 8259 section 7), as UTF-8.
    public func decodedBytes(_ node: Int) -> [UInt8] {
        let n = nodes[node]
        var out: [UInt8] = []
        out.reserveCapacity(Int(n.end - n.start))
        var i = Int(n.start)
        let end = Int(n.end)
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {  // the parser checked the pair
                    let low = hex4(i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // " \ /
            }
        }
        return out
    }

    private func hex4(_ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | UInt32(Self.hexValue(bytes[at + k]) ?? 0) }
        return value
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Appends node `node` to `out` as compact JSON: containers are rewritten member by
    /// member (dropping insignificant whitespace and any tolerated trailing comma), scalars
    /// are copied verbatim (they are already valid JSON).
    public func write(_ node: Int, into out: inout [UInt8]) {
        var writer = JSONWriter(capacity: Int(nodes[node].end - nodes[node].start) + 2)
        write(node, into: &writer)
        out.append(contentsOf: writer.finish())
    }

    func write(_ node: Int, into out: inout JSONWriter) {
        bytes.withUnsafeBufferPointer { buffer in
            nodes.withUnsafeBufferPointer { tape in
                Self.write(node, tape: tape, bytes: buffer.baseAddress.unsafelyUnwrapped, into: &out)
            }
        }
    }

    private static func write(_ node: Int, tape: UnsafeBufferPointer<Node>, bytes: UnsafePointer<UInt8>, into out: inout JSONWriter) {
        let n = tape[node]
        switch n.kind {
        case .object, .array:
            let isObject = n.kind == .object
            out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
            var child = node + 1
            let end = Int(n.next)
            var first = true
            while child < end {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                if isObject {
                    let key = tape[child]
                    out.append(bytes + Int(key.start) - 1, Int(key.end - key.start) + 2)
                    out.append(UInt8(ascii: ":"))
                    child += 1
                }
                write(child, tape: tape, bytes: bytes, into: &out)
                child = Int(tape[child].next)
            }
            out.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        case .string:
            out.append(bytes + Int(n.start) - 1, Int(n.end - n.start) + 2)
        default:
            out.append(bytes + Int(n.start), Int(n.end - n.start))
        }
    }
}
