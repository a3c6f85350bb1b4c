/// The elements of a comma-separated list (RFC 9110 §5.6.1), OWS-trimmed; empty elements are
/// returned too, for the callers that must refuse them. Quoted commas are not special: none of
/// the lists read here may carry one legitimately.
struct ListElements: IteratorProtocol {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var done = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func next() -> UnsafeBufferPointer<UInt8>? {
        guard !done else { return nil }
        var start = index
        var end = start
        while end < bytes.count, bytes[end] != ASCII.comma { end &+= 1 }
        if end == bytes.count { done = true } else { index = end &+ 1 }
        while start < end, ASCII.isWhitespace(bytes[start]) { start &+= 1 }
        while end > start, ASCII.isWhitespace(bytes[end &- 1]) { end &-= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
