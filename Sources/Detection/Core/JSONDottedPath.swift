import Ingestion
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        var child = object + 1
        let end = Int(tape[object].next)
        while child < end {
            let key = tape[child]
            let value = child + 1
            child = Int(tape[value].next)
            if key.escaped {
                // Rare: compare the decoded key.
                let name = doc.decodedBytes(value - 1)
                name.withUnsafeBufferPointer { name in
                    if let hit = step(doc, tape, bytes, name, value, path) { found = hit }
                }
                continue
            }
            let name = UnsafeBufferPointer(rebasing: bytes[Int(key.start)..<Int(key.end)])
            if let hit = step(doc, tape, bytes, name, value, path) { found = hit }
        }
        return found
    }

    /// The node `path` reaches through member `name` (whose value is `value`), if any.
    @inline(__always)
    private static func step(_ doc: JSONScanner, _ tape: UnsafeBufferPointer<JSONScanner.Node>, _ bytes: UnsafeBufferPointer<UInt8>,
                             _ name: UnsafeBufferPointer<UInt8>, _ value: Int, _ path: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = name.count
        if n == path.count {
            return equal(name, path, n) ? value : nil
        }
        if n < path.count, path[n] == UInt8(ascii: "."), equal(name, path, n), tape[value].kind == .object {
            return node(doc, tape, bytes, value, UnsafeBufferPointer(rebasing: path[(n + 1)...]))
        }
        return nil
    }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
        n == 0 || memcmp(a.baseAddress!, b.baseAddress!, n) == 0
    }
}
