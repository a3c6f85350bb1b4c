import Glibc

/// Plain TCP. A connection reset by the peer reads as EOF: for these tests both mean
/// "the server closed the connection".
final class PlainTestTransport: TestTransport {
    let fileDescriptor: Int32
    private var isClosed = false

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    deinit {
        close()
    }

    func writeSome(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant) throws(TestSupportError) -> Int {
        while true {
            let sent = send(fileDescriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if sent >= 0 { return sent }
            switch errno {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard try TestSocket.wait(fileDescriptor, for: Int16(POLLOUT), until: deadline) else {
                    throw .timeout("sending \(bytes.count) bytes")
                }
            case EPIPE, ECONNRESET:
                throw .connectionClosed("peer closed while sending")
            case let code:
                throw .system(call: "send", errno: code)
            }
        }
    }

    func readSome(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) throws(TestSupportError) -> Int {
        while true {
            let received = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if received >= 0 { return received }
            switch errno {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard try TestSocket.wait(fileDescriptor, for: Int16(POLLIN), until: deadline) else {
                    throw .timeout("waiting for data")
                }
            case ECONNRESET:
                return 0
            case let code:
                throw .system(call: "recv", errno: code)
            }
        }
    }

    func shutdownWrite() {
        _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fileDescriptor)
    }
}
