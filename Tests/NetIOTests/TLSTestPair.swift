import Glibc
import NetIO
import TestSupport

/// A server and a client `TLSStream` over one loopback TCP connection (or an AF_UNIX
/// socketpair), non-blocking fds, both driven from the test's own thread, as an event loop
/// would: call, and on want* poll.
final class TLSTestPair {
    enum Transport {
        case loopbackTCP
        /// No TCP windows: a small SO_SNDBUF set after creation takes effect at once, which
        /// makes "socket full" tests deterministic.
        case unixSocketPair
    }

    let serverFD: Int32
    private(set) var clientFD: Int32
    let server: TLSStream
    let client: TLSStream

    init(
        serverContext: TLSContext, clientContext: TLSContext, serverName: String? = "localhost",
        transport: Transport = .loopbackTCP
    ) throws {
        switch transport {
        case .loopbackTCP:
            (clientFD, serverFD) = try TestSocket.connectedLoopbackPair()
        case .unixSocketPair:
            var fds: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
                throw TestSupportError.system(call: "socketpair", errno: errno)
            }
            (clientFD, serverFD) = (fds[0], fds[1])
            try TestSocket.setNonBlocking(clientFD)
            try TestSocket.setNonBlocking(serverFD)
        }
        server = try TLSStream(context: serverContext, fileDescriptor: serverFD, role: .server)
        client = try TLSStream(context: clientContext, fileDescriptor: clientFD, role: .client(serverName: serverName))
    }

    deinit {
        // The streams never close fds; SSL_free (when they are released) does no I/O.
        close(serverFD)
        if clientFD >= 0 { close(clientFD) }
    }

    /// Closes the client's socket early (the client stream must not be used afterwards).
    func closeClientSocket() {
        close(clientFD)
        clientFD = -1
    }

    struct Outcome {
        var server: TLSResult
        var client: TLSResult
        var elapsed: Duration
    }

    /// Drives both handshakes until each side finished (complete, closed or failed) or
    /// neither can make progress. Never waits more than `timeout`.
    func handshake(timeout: Duration = .seconds(5)) -> Outcome {
        let start = ContinuousClock.now
        var serverResult = TLSResult.wantRead
        var clientResult = TLSResult.wantWrite
        while ContinuousClock.now - start < timeout {
            if !Self.isFinal(serverResult) { serverResult = server.handshake() }
            if !Self.isFinal(clientResult) { clientResult = client.handshake() }
            if Self.isFinal(serverResult) && Self.isFinal(clientResult) { break }
            let waiting = [(serverFD, serverResult), (clientFD, clientResult)].filter { !Self.isFinal($0.1) }
            if !Self.waitForAny(waiting, milliseconds: 200) { break }  // stuck: report as is
        }
        return Outcome(server: serverResult, client: clientResult, elapsed: ContinuousClock.now - start)
    }

    /// Writes `bytes` on `writer` and reads them on `reader`, interleaving so neither socket
    /// buffer can deadlock the single thread. Returns what the reader got (stops early on
    /// closed/failed; `readerResult` tells which).
    func transfer(
        _ bytes: [UInt8], from writer: TLSStream, to reader: TLSStream,
        readBufferSize: Int = 16 * 1024, timeout: Duration = .seconds(10)
    ) -> (received: [UInt8], readerResult: TLSResult) {
        let start = ContinuousClock.now
        var written = 0
        var received: [UInt8] = []
        var readBuffer = [UInt8](repeating: 0, count: readBufferSize)
        var lastRead = TLSResult.wantRead
        while received.count < bytes.count && ContinuousClock.now - start < timeout {
            var progressed = false
            if written < bytes.count {
                let result = bytes.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[written...])) }
                if case .bytes(let count) = result {
                    written += count
                    progressed = count > 0
                } else if case .failed = result {
                    return (received, result)
                }
            }
            lastRead = readBuffer.withUnsafeMutableBytes { reader.read(into: $0) }
            switch lastRead {
            case .bytes(let count):
                received += readBuffer[0..<count]
                progressed = true
            case .closed, .failed:
                return (received, lastRead)
            case .wantRead, .wantWrite:
                break
            }
            if !progressed {
                _ = Self.waitForAny([(serverFD, .wantRead), (clientFD, .wantRead)], milliseconds: 50)
            }
        }
        return (received, lastRead)
    }

    /// Reads on `stream` until it returns something other than want*, or `timeout`.
    func readOutcome(_ stream: TLSStream, timeout: Duration = .seconds(5)) -> TLSResult {
        let start = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now - start < timeout {
            let result = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            switch result {
            case .wantRead, .wantWrite:
                let fd = stream === server ? serverFD : clientFD
                _ = Self.waitForAny([(fd, result)], milliseconds: 50)
            default:
                return result
            }
        }
        return .wantRead
    }

    static func isFinal(_ result: TLSResult) -> Bool {
        switch result {
        case .wantRead, .wantWrite: false
        default: true
        }
    }

    /// Polls for the direction each side asked for; false when nothing became ready.
    @discardableResult
    static func waitForAny(_ sides: [(Int32, TLSResult)], milliseconds: Int32) -> Bool {
        var fds = sides.map { fd, result in
            pollfd(fd: fd, events: Int16(result == .wantWrite ? POLLOUT : POLLIN), revents: 0)
        }
        return poll(&fds, nfds_t(fds.count), milliseconds) > 0
    }
}

extension TLSResult {
    /// The failure text, or nil if not `.failed`.
    var failureReason: String? {
        if case .failed(let reason) = self { reason } else { nil }
    }
}
