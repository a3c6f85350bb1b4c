import HTTPCore
import NetIO

extension HTTPConnection {
    /// One read into the loop's shared buffer, fed to the parser (or discarded while lingering).
    func readOnce() {
        let buffer = loopState.readBuffer
        switch transportRead(into: buffer) {
        case .bytes(let count):
            loopState.metrics.addBytes(received: count)
            // Plain TCP: a short read means the socket is drained for now; the next arrival
            // raises a new edge. TLS reads one record at a time, so it reads on to EAGAIN.
            if tls == nil && count < buffer.count { socketReadable = false }
            if case .lingering = state { return }
            let now = EventLoop.monotonicNanos()
            switch state {
            case .awaitingRequest(let idleSince, nil) where parser.isBetweenMessages:
                state = .awaitingRequest(idleSince: idleSince, headStartedAt: now)
            case .readingBody:
                state = .readingBody(lastProgress: now)
            default:
                break
            }
            parser.feed(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        case .wouldBlock:
            socketReadable = false
        case .closed:
            socketReadable = false
            peerClosed = true
            if case .lingering = state { close() }
        case .failed:
            close()
        }
    }

    private func transportRead(into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult {
        guard let tls else { return Socket.read(fd, into: buffer) }
        switch tls.read(into: buffer) {
        case .bytes(let count): return count == 0 ? .wouldBlock : .bytes(count)
        case .wantRead, .wantWrite: return .wouldBlock
        case .closed: return .closed
        case .failed(let reason): return .failed(SocketError(call: "SSL_read: \(reason)", errno: 0))
        }
    }

    private func transportWrite(_ bytes: UnsafeRawBufferPointer) -> Socket.IOResult {
        guard let tls else { return Socket.write(fd, bytes) }
        switch tls.write(bytes) {
        case .bytes(let count): return .bytes(count)
        case .wantRead, .wantWrite: return .wouldBlock
        case .closed: return .closed
        case .failed(let reason): return .failed(SocketError(call: "SSL_write: \(reason)", errno: 0))
        }
    }

    /// Writes as much pending output as the socket takes; closes when asked to and done.
    /// Returns how many bytes went out.
    @discardableResult
    func flush() -> Int {
        var written = 0
        while hasPendingOutput {
            let result = output.withUnsafeBytes { all in
                transportWrite(UnsafeRawBufferPointer(rebasing: all[outputSent...]))
            }
            switch result {
            case .bytes(let count):
                outputSent += count
                written += count
                loopState.metrics.addBytes(sent: count)
                writeBlockedSince = nil
            case .wouldBlock:
                if writeBlockedSince == nil { writeBlockedSince = EventLoop.monotonicNanos() }
                return written
            case .closed, .failed:
                close()
                return written
            }
        }
        // Keep a modest buffer for the next response; drop a big one.
        if output.capacity > 64 * 1024 {
            output = []
        } else {
            output.removeAll(keepingCapacity: true)
        }
        outputSent = 0
        writeBlockedSince = nil
        if closeAfterFlush && !isHandling { finishClosing() }
        return written
    }

    /// After the last response: close now, or linger (half-close, drain what the client
    /// still sends, then close) so that an early error answer is not lost to a TCP reset.
    private func finishClosing() {
        guard lingerOnClose, !peerClosed else {
            close()
            return
        }
        if case .lingering = state { return }
        tls?.shutdown()
        Socket.shutdownWrite(fd)
        state = .lingering(since: EventLoop.monotonicNanos())
        socketReadable = true
    }

    func close() {
        if isClosed { return }
        state = .closed
        loopState.loop.deregister(fd)
        if tls?.isHandshakeComplete == true { tls?.shutdown() }
        Socket.close(fd)
        tls = nil
        output = []
        pendingBody = []
        loopState.remove(self)
        core.releaseConnection()
    }
}
