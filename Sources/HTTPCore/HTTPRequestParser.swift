/// Incremental HTTP/1.1 request parser (RFC 9112): bytes in, `HTTPRequestPart`s out.
///
/// A value type with no I/O, clock or concurrency: `feed(_:)` what the socket read, call
/// `next()` until it returns nil, and `finish()` at EOF. Parts come out as soon as their bytes
/// are complete, whatever way the input was split, and pipelined requests follow each other.
/// Any error poisons the parser: the connection must then be answered and closed, because the
/// framing of whatever follows cannot be trusted (RFC 9112 §11.2, request smuggling).
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPParserLimits

    /// Bytes fed and not yet compacted away; `readIndex` is the first unconsumed one.
    var storage: [UInt8] = []
    var readIndex = 0
    /// Where the LF search for the pending line resumes, so a head that trickles in byte by byte
    /// is scanned once rather than once per feed.
    var scanIndex = 0
    var state: State = .requestLine
    var head = RequestHeadBuilder()
    /// Field-section budget used by the current message: head fields and trailers together.
    var fieldBytes = 0
    var fieldCount = 0
    /// Sum of the chunk sizes declared so far in the current chunked body.
    var chunkedBodyBytes = 0

    enum State: Sendable, Equatable {
        /// Before the request line, skipping empty lines (RFC 9112 §2.2).
        case requestLine
        case fieldLines
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        /// The CRLF that must close every chunk's data (§7.1).
        case chunkDataEnd
        case trailers
        /// The body is complete; `.end` is the next part.
        case endOfMessage
        case failed(HTTPParseError)
    }

    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits
    }

    // MARK: Input

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, !isFailed else { return }
        compact()
        bytes.withMemoryRebound(to: UInt8.self) { storage.append(contentsOf: $0) }
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        guard !bytes.isEmpty, !isFailed else { return }
        compact()
        storage.append(contentsOf: bytes)
    }

    /// Drops consumed bytes, but only when that is cheap: everything consumed (no copy), or more
    /// than half of the storage consumed (the move costs less than the bytes already parsed).
    mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex >= storage.count {
            // Keep a normal-sized buffer for the next request; give back one a big body grew.
            storage.removeAll(keepingCapacity: storage.capacity <= 1 << 20)
        } else if readIndex > storage.count / 2 {
            storage.removeSubrange(0..<readIndex)
        } else {
            return
        }
        scanIndex = max(0, scanIndex &- readIndex)
        readIndex = 0
    }

    // MARK: Output

    /// The next part, or nil when more bytes are needed. After an error every call throws it.
    public mutating func next() throws(HTTPParseError) -> HTTPRequestPart? {
        if case .failed(let error) = state { throw error }
        // A second reference to the storage, so the parsing code may mutate `self` while it
        // reads the bytes; nothing appends to `storage` during `next()`, so nothing is copied.
        let bytes = storage
        do {
            return try bytes.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
                try step(buffer)
            }
        } catch {
            fail(error)
            throw error
        }
    }

    /// At EOF: throws if a message was in progress (a truncated head or body, §8); between
    /// messages it is fine. Call after `next()` returned nil.
    public mutating func finish() throws(HTTPParseError) {
        if case .failed(let error) = state { throw error }
        guard isMessageInProgress else { return }
        let error = HTTPParseError.badRequest(
            isInHead
                ? "connection closed before the request head was complete"
                : "connection closed before the request body was complete")
        fail(error)
        throw error
    }

    // MARK: State for the server

    public var bufferedByteCount: Int { storage.count &- readIndex }

    /// No partial message: nothing buffered, or only the empty lines allowed before a request
    /// line. The server uses it to choose between its idle and its header timeout.
    public var isBetweenMessages: Bool {
        switch state {
        case .requestLine, .endOfMessage: onlyEmptyLinesBuffered
        default: false
        }
    }

    /// Some bytes of a head arrived but the head is not complete.
    public var isInHead: Bool {
        switch state {
        case .fieldLines: true
        case .requestLine: !onlyEmptyLinesBuffered
        default: false
        }
    }

    var isFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    var isMessageInProgress: Bool {
        switch state {
        case .requestLine, .endOfMessage: !onlyEmptyLinesBuffered
        case .failed: false
        default: true
        }
    }

    /// Only CRLF pairs (and possibly the CR of one more) are buffered.
    var onlyEmptyLinesBuffered: Bool {
        var index = readIndex
        let end = storage.count
        while index < end {
            guard storage[index] == ASCII.cr else { return false }
            if index &+ 1 == end { return true }
            guard storage[index &+ 1] == ASCII.lf else { return false }
            index &+= 2
        }
        return true
    }

    // MARK: The state machine

    mutating func step(_ buffer: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPRequestPart? {
        while true {
            switch state {
            case .requestLine:
                guard try skipEmptyLines(buffer),
                    let line = try nextLine(buffer, kind: .requestLine)
                else { return nil }
                try parseRequestLine(UnsafeBufferPointer(rebasing: buffer[line]))
                state = .fieldLines

            case .fieldLines:
                guard let line = try nextLine(buffer, kind: .headerField) else { return nil }
                if line.isEmpty {
                    return .head(try completeHead())
                }
                try parseFieldLine(UnsafeBufferPointer(rebasing: buffer[line]), isTrailer: false)

            case .fixedBody(let remaining):
                guard let piece = takeBody(buffer, upTo: remaining) else { return nil }
                state = piece.count == remaining ? .endOfMessage : .fixedBody(remaining: remaining &- piece.count)
                return .body(piece)

            case .chunkSizeLine:
                guard let line = try nextLine(buffer, kind: .chunkSize) else { return nil }
                try startChunk(UnsafeBufferPointer(rebasing: buffer[line]))

            case .chunkData(let remaining):
                guard let piece = takeBody(buffer, upTo: remaining) else { return nil }
                state = piece.count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining &- piece.count)
                return .body(piece)

            case .chunkDataEnd:
                guard try consumeChunkDataEnd(buffer) else { return nil }
                state = .chunkSizeLine

            case .trailers:
                guard let line = try nextLine(buffer, kind: .trailerField) else { return nil }
                if line.isEmpty {
                    state = .endOfMessage
                } else {
                    try parseFieldLine(UnsafeBufferPointer(rebasing: buffer[line]), isTrailer: true)
                }

            case .endOfMessage:
                startNextMessage()
                return .end

            case .failed(let error):
                throw error
            }
        }
    }

    /// Copies out up to `remaining` buffered body bytes; nil when none are buffered, so that no
    /// empty piece is ever emitted.
    mutating func takeBody(_ buffer: UnsafeBufferPointer<UInt8>, upTo remaining: Int) -> [UInt8]? {
        let available = buffer.count &- readIndex
        guard available > 0 else { return nil }
        let count = min(available, remaining)
        let piece = Array(UnsafeBufferPointer(rebasing: buffer[readIndex..<(readIndex &+ count)]))
        readIndex &+= count
        return piece
    }

    mutating func startNextMessage() {
        head = RequestHeadBuilder()
        fieldBytes = 0
        fieldCount = 0
        chunkedBodyBytes = 0
        scanIndex = readIndex
        state = .requestLine
    }

    mutating func fail(_ error: HTTPParseError) {
        state = .failed(error)
        storage = []
        readIndex = 0
        scanIndex = 0
        head = RequestHeadBuilder()
    }
}
