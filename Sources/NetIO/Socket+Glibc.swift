import CSystemLinux
import Glibc

/// Thin, non-blocking socket calls. Every function returns a value the caller can act on
/// without consulting errno again; `EAGAIN` is a normal outcome, not an error.
public enum Socket {
    /// Outcome of a non-blocking read or write.
    public enum IOResult: Sendable, Equatable {
        case bytes(Int)
        case wouldBlock
        case closed
        case failed(SocketError)
    }

    /// A listening TCP socket, non-blocking, with SO_REUSEADDR, bound and listening.
    public static func makeListener(_ address: SocketAddress, backlog: Int32 = 4096) throws(SocketError) -> Int32 {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { Glibc.bind(fd, $0, $1) }
        guard bound == 0 else {
            let error = SocketError(call: "bind \(address)")
            Glibc.close(fd)
            throw error
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = SocketError(call: "listen")
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// A blocking client connection with send and receive timeouts, for probes and tools
    /// (the server itself never blocks).
    public static func connectBlocking(to address: SocketAddress, timeoutSeconds: Int) throws(SocketError) -> Int32 {
        let fd = Glibc.socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard address.withSockAddr({ Glibc.connect(fd, $0, $1) }) == 0 else {
            let error = SocketError(call: "connect \(address)")
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// The address a socket is bound to (the real port after binding port 0).
    public static func localAddress(of fd: Int32) throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0, let address = SocketAddress(storage: storage) else {
            throw SocketError(call: "getsockname")
        }
        return address
    }

    /// Accepts one pending connection as a non-blocking socket with TCP_NODELAY.
    /// Returns nil when no connection is pending (or it vanished before we took it).
    public static func accept(_ listener: Int32) throws(SocketError) -> (fd: Int32, peer: SocketAddress?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                mwrasp_accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        if fd < 0 {
            switch errno {
            case EAGAIN, EWOULDBLOCK, ECONNABORTED, EINTR, EPROTO:
                return nil
            default:
                throw SocketError(call: "accept4")
            }
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return (fd, SocketAddress(storage: storage))
    }

    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET, EPIPE, ETIMEDOUT: return .closed
            default: return .failed(SocketError(call: "read"))
            }
        }
    }

    /// Writes with MSG_NOSIGNAL so a vanished peer is an error, not a SIGPIPE.
    @inline(__always)
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .bytes(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET, EPIPE: return .closed
            default: return .failed(SocketError(call: "send"))
            }
        }
    }

    /// Half-closes the sending side so the peer reads EOF after the last response.
    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Raises the soft open-file limit to the hard limit: a server with thousands of
    /// connections needs more than the default 1024 descriptors.
    public static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }

    /// A peer that stops reading makes our writes fail with EPIPE instead of killing the
    /// process; OpenSSL writes with write(2), which cannot pass MSG_NOSIGNAL.
    public static func ignoreSIGPIPE() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
