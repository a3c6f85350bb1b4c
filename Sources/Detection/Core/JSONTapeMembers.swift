import Ingestion
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The members of an object node, walked on the raw tape: the one loop the per-event lookups
/// (dotted paths, Windows record members, the raw logsource key) share. Each member is its key
/// node followed by its value; a value's `next` is the index after it.
enum JSONTapeMembers {
    /// Calls `body` with each member's key node and value index, in document order, until it
    /// returns false. `object` must be an object node.
    @inline(__always)
    static func forEach(_ tape: UnsafeBufferPointer<JSONScanner.Node>, of object: Int,
                        _ body: (_ key: JSONScanner.Node, _ value: Int) -> Bool) {
        var child = object + 1
        let end = Int(tape[object].next)
        while child < end {
            let key = tape[child]
            let value = child + 1
            child = Int(tape[value].next)
            if !body(key, value) { return }
        }
    }

    /// Whether the raw bytes of `key` (an unescaped key node) are `name`.
    @inline(__always)
    static func keyEquals(_ key: JSONScanner.Node, _ bytes: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        Int(key.end - key.start) == name.count && equal(UnsafeBufferPointer(rebasing: bytes[Int(key.start)...]), name, name.count)
    }

    /// The first `n` bytes of `a` and `b` are the same.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
        n == 0 || memcmp(a.baseAddress!, b.baseAddress!, n) == 0
    }
}
