import Glibc

/// Small socket helpers for tests. Everything is loopback-only (127.0.0.1).
public enum TestSocket {
    public static func setNonBlocking(_ fd: Int32) throws(TestSupportError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .system(call: "fcntl(O_NONBLOCK)", errno: errno)
        }
    }

    /// Disables Nagle so pieces sent with delays really leave as separate segments.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// A connected TCP pair over 127.0.0.1 (kernel-chosen port), both ends non-blocking.
    /// The caller closes both fds.
    public static func connectedLoopbackPair() throws(TestSupportError) -> (client: Int32, server: Int32) {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let client = try connect(port: listener.port, host: "127.0.0.1", timeout: .seconds(5))
        do {
            let server = try listener.accept(timeout: .seconds(5))
            try setNonBlocking(server)
            return (client, server)
        } catch {
            _ = Glibc.close(client)
            throw error
        }
    }

    /// Connects with a timeout; the returned socket is non-blocking with TCP_NODELAY.
    public static func connect(port: UInt16, host: String, timeout: Duration) throws(TestSupportError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        do {
            try setNonBlocking(fd)
            setNoDelay(fd)
            var address = try socketAddress(host: host, port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result != 0 {
                guard errno == EINPROGRESS else { throw TestSupportError.system(call: "connect", errno: errno) }
                let deadline = ContinuousClock.now + timeout
                guard try wait(fd, for: Int16(POLLOUT), until: deadline) else {
                    throw TestSupportError.timeout("connect to \(host):\(port)")
                }
                var socketError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
                guard socketError == 0 else { throw TestSupportError.system(call: "connect", errno: socketError) }
            }
            return fd
        } catch let error as TestSupportError {
            _ = Glibc.close(fd)
            throw error
        } catch {
            _ = Glibc.close(fd)
            throw .system(call: "connect", errno: 0)
        }
    }

    static func socketAddress(host: String, port: UInt16) throws(TestSupportError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw .system(call: "inet_pton(\(host))", errno: EINVAL)
        }
        return address
    }

    /// Polls one fd until `events` are ready (true) or the deadline passes (false).
    /// Error and hang-up conditions count as ready: the next read or write reports them.
    public static func wait(_ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant)
        throws(TestSupportError) -> Bool
    {
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let result = poll(&entry, 1, milliseconds(remaining))
            if result > 0 { return true }
            if result < 0 && errno != EINTR { throw .system(call: "poll", errno: errno) }
        }
    }

    /// Rounds up so a sub-millisecond remainder still waits instead of spinning.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(ms, 0))
    }
}
