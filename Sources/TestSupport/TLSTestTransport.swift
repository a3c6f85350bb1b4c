import Glibc
import NetIO

/// TLS over a non-blocking socket, driven by `TLSStream` in a blocking loop around the
/// want* results. Works for either role, so a test can also play a tiny TLS server.
final class TLSTestTransport: TestTransport {
    let stream: TLSStream
    let fileDescriptor: Int32
    private var isClosed = false

    /// Takes ownership of `fileDescriptor` (made non-blocking here) and completes the handshake.
    init(fileDescriptor: Int32, context: TLSContext, role: TLSStream.Role, timeout: Duration) throws(TestSupportError) {
        do {
            try TestSocket.setNonBlocking(fileDescriptor)
            stream = try TLSStream(context: context, fileDescriptor: fileDescriptor, role: role)
        } catch let error as TLSError {
            _ = Glibc.close(fileDescriptor)
            throw .tls(error.description)
        } catch {
            _ = Glibc.close(fileDescriptor)
            throw error as? TestSupportError ?? .tls("\(error)")
        }
        self.fileDescriptor = fileDescriptor
        let deadline = ContinuousClock.now + timeout
        while true {
            switch stream.handshake() {
            case .bytes:
                return
            case .wantRead:
                try waitOrClose(Int16(POLLIN), deadline, "TLS handshake")
            case .wantWrite:
                try waitOrClose(Int16(POLLOUT), deadline, "TLS handshake")
            case .closed:
                close()
                throw .connectionClosed("during the TLS handshake")
            case .failed(let reason):
                close()
                throw .tls(reason)
            }
        }
    }

    deinit {
        close()
    }

    func writeSome(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant) throws(TestSupportError) -> Int {
        // On want* OpenSSL requires the retry to pass the same bytes, which this loop does.
        while true {
            switch stream.write(bytes) {
            case .bytes(let count):
                return count
            case .wantRead:
                try wait(Int16(POLLIN), deadline, "sending \(bytes.count) bytes")
            case .wantWrite:
                try wait(Int16(POLLOUT), deadline, "sending \(bytes.count) bytes")
            case .closed:
                throw .connectionClosed("peer closed while sending")
            case .failed(let reason):
                throw .tls(reason)
            }
        }
    }

    func readSome(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) throws(TestSupportError) -> Int {
        while true {
            switch stream.read(into: buffer) {
            case .bytes(let count):
                return count
            case .wantRead:
                try wait(Int16(POLLIN), deadline, "waiting for data")
            case .wantWrite:
                try wait(Int16(POLLOUT), deadline, "waiting for data")
            case .closed:
                return 0
            case .failed(let reason):
                throw .tls(reason)
            }
        }
    }

    func shutdownWrite() {
        stream.shutdown()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        stream.shutdown()
        _ = Glibc.close(fileDescriptor)
    }

    private func wait(_ events: Int16, _ deadline: ContinuousClock.Instant, _ what: String) throws(TestSupportError) {
        guard try TestSocket.wait(fileDescriptor, for: events, until: deadline) else { throw .timeout(what) }
    }

    private func waitOrClose(_ events: Int16, _ deadline: ContinuousClock.Instant, _ what: String) throws(TestSupportError) {
        do {
            try wait(events, deadline, what)
        } catch {
            close()
            throw error
        }
    }
}
