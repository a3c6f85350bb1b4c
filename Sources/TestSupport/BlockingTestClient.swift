import Glibc
import NetIO

/// A tiny blocking HTTP/1.1 client for raw-bytes tests of the server: it sends exactly the
/// bytes it is given (smuggling shapes, pipelined requests, slow headers) and parses what
/// comes back. Every wait has a timeout, so a misbehaving server fails a test instead of
/// hanging it.
///
/// Blocking calls block the calling thread. The Swift concurrency pool has only as many
/// threads as cores (2 here), so tests whose server needs that pool should wrap client code
/// in `BlockingIO.run { ... }`, which runs it on a dedicated thread.
public final class BlockingTestClient {
    private let transport: any TestTransport
    /// Bytes received but not yet returned (the next pipelined response, for instance).
    private var buffer: [UInt8] = []
    private var receivedEOF = false

    /// Plain TCP to `host:port` (loopback by default).
    public init(port: UInt16, host: String = "127.0.0.1", connectTimeout: Duration = .seconds(5)) throws(TestSupportError) {
        let fd = try TestSocket.connect(port: port, host: host, timeout: connectTimeout)
        transport = PlainTestTransport(fileDescriptor: fd)
    }

    /// TLS to `host:port`, handshake completed before returning. `serverName` is sent as SNI
    /// and verified against the server certificate; pass nil to verify the chain only.
    public init(
        tlsPort port: UInt16, context: TLSContext, serverName: String? = "localhost",
        host: String = "127.0.0.1", timeout: Duration = .seconds(5)
    ) throws(TestSupportError) {
        let fd = try TestSocket.connect(port: port, host: host, timeout: timeout)
        transport = try TLSTestTransport(
            fileDescriptor: fd, context: context, role: .client(serverName: serverName), timeout: timeout)
    }

    /// Adopts an already connected socket (an accepted connection, one end of a socketpair),
    /// so a test can also play the server side. With `tls`, the handshake runs in that role
    /// before returning. The client owns (and closes) `fileDescriptor`.
    public init(
        adopting fileDescriptor: Int32, tls: (context: TLSContext, role: TLSStream.Role)? = nil,
        timeout: Duration = .seconds(5)
    ) throws(TestSupportError) {
        if let tls {
            transport = try TLSTestTransport(
                fileDescriptor: fileDescriptor, context: tls.context, role: tls.role, timeout: timeout)
        } else {
            do {
                try TestSocket.setNonBlocking(fileDescriptor)
            } catch {
                _ = Glibc.close(fileDescriptor)
                throw error
            }
            transport = PlainTestTransport(fileDescriptor: fileDescriptor)
        }
    }

    /// The TLS session, for checks like `protocolVersion`; nil for plain TCP.
    public var tlsStream: TLSStream? {
        (transport as? TLSTestTransport)?.stream
    }

    public var fileDescriptor: Int32 { transport.fileDescriptor }

    deinit {
        transport.close()
    }

    // MARK: Sending

    public func send(_ string: String, timeout: Duration = .seconds(5)) throws(TestSupportError) {
        try send(Array(string.utf8), timeout: timeout)
    }

    public func send(_ bytes: [UInt8], timeout: Duration = .seconds(5)) throws(TestSupportError) {
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            // withUnsafeBytes rethrows untyped errors; a Result keeps the typed one.
            let written = bytes.withUnsafeBytes { all in
                Result { () throws(TestSupportError) -> Int in
                    try transport.writeSome(UnsafeRawBufferPointer(rebasing: all[offset...]), deadline: deadline)
                }
            }
            offset += try written.get()
        }
    }

    /// Sends each piece, sleeping `delay` between them (slow clients, split headers).
    public func send(pieces: [[UInt8]], delay: Duration, timeout: Duration = .seconds(5)) throws(TestSupportError) {
        for (index, piece) in pieces.enumerated() {
            if index > 0 { Self.sleep(delay) }
            try send(piece, timeout: timeout)
        }
    }

    /// Sends `bytes` in pieces of `pieceSize`, sleeping `delay` between them.
    public func send(_ bytes: [UInt8], pieceSize: Int, delay: Duration, timeout: Duration = .seconds(5)) throws(TestSupportError) {
        let size = max(1, pieceSize)
        let pieces = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
        try send(pieces: pieces, delay: delay, timeout: timeout)
    }

    /// No more bytes will be sent (TCP FIN, or TLS close_notify); reading still works.
    public func shutdownWrite() {
        transport.shutdownWrite()
    }

    // MARK: Receiving

    /// Exactly `count` bytes (fewer only if the peer closed first: then it throws).
    public func read(count: Int, timeout: Duration = .seconds(5)) throws(TestSupportError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while buffer.count < count {
            guard try fill(deadline: deadline) else {
                throw .connectionClosed("after \(buffer.count) of \(count) bytes")
            }
        }
        let result = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return result
    }

    /// Bytes up to and including the first `delimiter` (e.g. "\r\n\r\n" for a request head).
    public func read(until delimiter: [UInt8], timeout: Duration = .seconds(5)) throws(TestSupportError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let index = TestResponseParser.find(delimiter, in: buffer, from: 0) {
                let result = Array(buffer[0..<(index + delimiter.count)])
                buffer.removeFirst(result.count)
                return result
            }
            guard try fill(deadline: deadline) else {
                throw .connectionClosed("before the delimiter, after \(buffer.count) bytes")
            }
        }
    }

    public func read(until delimiter: String, timeout: Duration = .seconds(5)) throws(TestSupportError) -> String {
        String(decoding: try read(until: Array(delimiter.utf8), timeout: timeout), as: UTF8.self)
    }

    /// The next complete response. Pipelined responses that arrived together are returned
    /// one per call, in order. A `100 Continue` is returned as a response of its own.
    public func readResponse(timeout: Duration = .seconds(5), isResponseToHEAD: Bool = false) throws(TestSupportError) -> TestResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            switch try TestResponseParser.parse(buffer, atEOF: receivedEOF, isResponseToHEAD: isResponseToHEAD) {
            case let .response(response, consumed):
                buffer.removeFirst(consumed)
                return response
            case .needMoreData:
                if receivedEOF {
                    throw .connectionClosed(buffer.isEmpty ? "before a response" : "inside a response head")
                }
                _ = try fill(deadline: deadline)
            }
        }
    }

    /// Everything until the peer closes (including bytes already buffered).
    public func readUntilClosed(timeout: Duration = .seconds(5)) throws(TestSupportError) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while try fill(deadline: deadline) {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// True once the peer closed (FIN or reset) within `timeout`; data arriving meanwhile is
    /// kept for later reads. False on timeout, or if the connection failed otherwise.
    public func isClosedByPeer(timeout: Duration = .seconds(2)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        do {
            while try fill(deadline: deadline) {}
            return true
        } catch {
            return false
        }
    }

    public func close() {
        transport.close()
    }

    /// Reads once into the buffer; false at EOF.
    private func fill(deadline: ContinuousClock.Instant) throws(TestSupportError) -> Bool {
        if receivedEOF { return false }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = try chunk.withUnsafeMutableBytes { raw in
            Result { () throws(TestSupportError) -> Int in try transport.readSome(into: raw, deadline: deadline) }
        }.get()
        if count == 0 {
            receivedEOF = true
            return false
        }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
