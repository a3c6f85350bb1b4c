/// Line framing for the head, the chunk-size lines and the trailers (RFC 9112 §2.2).
extension HTTPRequestParser {
    enum LineKind {
        case requestLine
        case headerField
        case chunkSize
        case trailerField

        var bareCRReason: String {
            switch self {
            case .requestLine: "bare CR in request line"
            case .headerField, .trailerField: "bare CR in header section"
            case .chunkSize: "bare CR in chunk-size line"
            }
        }
    }

    /// Most bytes the pending line may take, CRLF included.
    func lineBudget(_ kind: LineKind) -> Int {
        switch kind {
        case .requestLine: limits.maxRequestLineBytes &+ 2
        case .headerField, .trailerField: limits.maxHeaderBytes &- fieldBytes
        case .chunkSize: limits.maxChunkLineBytes
        }
    }

    func tooLongError(_ kind: LineKind) -> HTTPParseError {
        switch kind {
        case .requestLine: .uriTooLong
        case .headerField, .trailerField: .headerFieldsTooLarge
        case .chunkSize: .badRequest("chunk-size line is longer than \(limits.maxChunkLineBytes) bytes")
        }
    }

    /// The content (without CRLF) of the next complete line, consuming it; nil when more bytes
    /// are needed.
    ///
    /// A line is too long when no LF lies within its budget; that depends only on the bytes,
    /// never on how they were split, so the error is the same whole or byte by byte and is
    /// raised as soon as the budget is passed, before any LF arrives.
    mutating func nextLine(_ buffer: UnsafeBufferPointer<UInt8>, kind: LineKind) throws(HTTPParseError) -> Range<Int>? {
        let start = readIndex
        let available = buffer.count &- start
        let budget = lineBudget(kind)
        let windowEnd = start &+ min(available, max(budget, 0))
        let from = max(scanIndex, start)
        guard let lf = ASCII.firstIndex(of: ASCII.lf, in: buffer, from: from, to: windowEnd) else {
            if available > 0, available >= budget {
                throw tooLongError(kind)
            }
            scanIndex = windowEnd
            return nil
        }
        // Strict line endings (§2.2): no lenient bare LF, and a CR only right before the LF.
        guard lf > start, buffer[lf &- 1] == ASCII.cr else {
            throw .badRequest("bare LF line ending (CRLF is required)")
        }
        let content = start..<(lf &- 1)
        if ASCII.firstIndex(of: ASCII.cr, in: buffer, from: content.lowerBound, to: content.upperBound) != nil {
            throw .badRequest(kind.bareCRReason)
        }
        readIndex = lf &+ 1
        scanIndex = readIndex
        if kind == .headerField || kind == .trailerField {
            fieldBytes &+= readIndex &- start
        }
        return content
    }

    /// Skips empty lines before a request line (§2.2: a server SHOULD ignore at least one).
    /// Returns false when more bytes are needed to see the request line's first byte.
    mutating func skipEmptyLines(_ buffer: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Bool {
        var index = readIndex
        let end = buffer.count
        defer {
            if index != readIndex {
                readIndex = index
                scanIndex = index
            }
        }
        while index < end {
            let byte = buffer[index]
            if byte == ASCII.lf {
                throw .badRequest("bare LF line ending (CRLF is required)")
            }
            guard byte == ASCII.cr else { return true }
            guard index &+ 1 < end else { return false }
            guard buffer[index &+ 1] == ASCII.lf else {
                throw .badRequest("bare CR before the request line")
            }
            index &+= 2
        }
        return false
    }
}
