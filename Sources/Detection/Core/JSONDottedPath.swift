import Ingestion

/// `JSONScanner.value(atDotted:)` without allocating: a dotted path (`host.name`) through
/// nested objects, dotted keys or a mix, the last match winning, as there. That one builds
/// the path's byte array and an array slice per key; detectors look paths up on every event
/// (Sigma fields a Windows record lacks, baseline entities), so this walks the tape with raw
/// pointers and builds nothing per key.
enum JSONDottedPath {
    /// The node `path` reaches from `object` (the root: 0), nil when none.
    static func node(_ doc: JSONScanner, _ object: Int, _ path: UnsafeBufferPointer<UInt8>) -> Int? {
        doc.nodes.withUnsafeBufferPointer { tape in
            doc.bytes.withUnsafeBufferPointer { bytes in
                node(doc, tape, bytes, object, path)
            }
        }
    }

    /// The same for a path given as a String (no copy for native UTF-8 strings).
    static func node(_ doc: JSONScanner, _ object: Int, _ path: String) -> Int? {
        var path = path
        return path.withUTF8 { node(doc, object, $0) }
    }

    private static func node(_ doc: JSONScanner, _ tape: UnsafeBufferPointer<JSONScanner.Node>, _ bytes: UnsafeBufferPointer<UInt8>,
                             _ object: Int, _ path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard tape[object].kind == .object else { return nil }
        var found: Int?
        JSONTapeMembers.forEach(tape, of: object) { key, value in
            if key.escaped {
                // Rare: compare the decoded key.
                doc.decodedBytes(value - 1).withUnsafeBufferPointer { name in
                    if let hit = step(doc, tape, bytes, name, value, path) { found = hit }
                }
            } else if let hit = step(doc, tape, bytes, UnsafeBufferPointer(rebasing: bytes[Int(key.start)..<Int(key.end)]), value, path) {
                found = hit
            }
            return true
        }
        return found
    }

    /// The node `path` reaches through member `name` (whose value is `value`), if any.
    @inline(__always)
    private static func step(_ doc: JSONScanner, _ tape: UnsafeBufferPointer<JSONScanner.Node>, _ bytes: UnsafeBufferPointer<UInt8>,
                             _ name: UnsafeBufferPointer<UInt8>, _ value: Int, _ path: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = name.count
        if n == path.count {
            return JSONTapeMembers.equal(name, path, n) ? value : nil
        }
        if n < path.count, path[n] == UInt8(ascii: "."), JSONTapeMembers.equal(name, path, n), tape[value].kind == .object {
            return node(doc, tape, bytes, value, UnsafeBufferPointer(rebasing: path[(n + 1)...]))
        }
        return nil
    }
}
