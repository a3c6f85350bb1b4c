import Glibc
import Synchronization

/// A TCP listener on 127.0.0.1 with a kernel-chosen port (never a fixed one: tests run in
/// parallel). The listening socket is non-blocking so `accept(timeout:)` cannot hang.
/// Sendable so one thread can accept while the test closes it from another.
public final class LoopbackListener: Sendable {
    public let fileDescriptor: Int32
    public let port: UInt16
    private let isClosed = Mutex(false)

    public init(backlog: Int32 = 64) throws(TestSupportError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        var address = try TestSocket.socketAddress(host: "127.0.0.1", port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw .system(call: "bind/listen", errno: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        do {
            try TestSocket.setNonBlocking(fd)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        self.fileDescriptor = fd
        self.port = UInt16(bigEndian: actual.sin_port)
    }

    deinit {
        close()
    }

    /// Accepts one connection; the returned fd is blocking (as accept leaves it) and owned by
    /// the caller.
    public func accept(timeout: Duration = .seconds(5)) throws(TestSupportError) -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            let fd = Glibc.accept(fileDescriptor, nil, nil)
            if fd >= 0 { return fd }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .system(call: "accept", errno: errno)
            }
            guard try TestSocket.wait(fileDescriptor, for: Int16(POLLIN), until: deadline) else {
                throw .timeout("accept on port \(port)")
            }
        }
    }

    public func close() {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed { _ = Glibc.close(fileDescriptor) }
    }
}
