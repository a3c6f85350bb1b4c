import COpenSSL
import Glibc

/// A socket BIO that reads with recv() and writes with send(MSG_NOSIGNAL).
///
/// Why not SSL_set_fd: OpenSSL's built-in socket BIO writes with write(), so a peer that has
/// already reset the connection raises SIGPIPE and kills a process that forgot to ignore it.
/// This BIO behaves like the built-in one otherwise (EAGAIN sets the retry flags that
/// SSL_get_error turns into WANT_READ/WANT_WRITE; EOF sets the flag BIO_eof reports, which
/// SSL_OP_IGNORE_UNEXPECTED_EOF turns into a clean close). The fd is never closed here.
enum OpenSSLSocketBIO {
    /// Per-BIO state, stored behind BIO_set_data.
    private struct State {
        var fd: Int32
        var reachedEOF = false
    }

    // BIO_METHOD is immutable once built and OpenSSL shares it across threads.
    nonisolated(unsafe) private static let method: OpaquePointer? = makeMethod()

    /// A new BIO over `fd` with one reference, or nil if OpenSSL could not allocate it.
    static func make(fileDescriptor fd: Int32) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(fd: fd))
        BIO_set_data(bio, state)
        BIO_set_init(bio, 1)
        return bio
    }

    private static func state(_ bio: OpaquePointer) -> UnsafeMutablePointer<State> {
        BIO_get_data(bio).assumingMemoryBound(to: State.self)
    }

    private static let retryFlags = Int32(BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL)
        | Int32(BIO_FLAGS_SHOULD_RETRY)

    private static func makeMethod() -> OpaquePointer? {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR
        guard let method = BIO_meth_new(type, "mwrasp socket") else { return nil }
        BIO_meth_set_write(method) { bio, data, length in
            guard let bio, let data, length > 0 else { return 0 }
            BIO_clear_flags(bio, OpenSSLSocketBIO.retryFlags)
            let fd = OpenSSLSocketBIO.state(bio).pointee.fd
            while true {
                let sent = send(fd, data, Int(length), Int32(MSG_NOSIGNAL))
                if sent >= 0 { return Int32(sent) }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    BIO_set_flags(bio, Int32(BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY))
                }
                return -1
            }
        }
        BIO_meth_set_read(method) { bio, data, length in
            guard let bio, let data, length > 0 else { return 0 }
            BIO_clear_flags(bio, OpenSSLSocketBIO.retryFlags)
            let state = OpenSSLSocketBIO.state(bio)
            while true {
                let received = recv(state.pointee.fd, data, Int(length), 0)
                if received > 0 { return Int32(received) }
                if received == 0 {
                    state.pointee.reachedEOF = true
                    return 0
                }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    BIO_set_flags(bio, Int32(BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY))
                }
                return -1
            }
        }
        BIO_meth_set_ctrl(method) { bio, command, _, pointer in
            guard let bio else { return 0 }
            let state = OpenSSLSocketBIO.state(bio)
            switch command {
            case BIO_CTRL_FLUSH, BIO_CTRL_DUP:
                return 1
            case BIO_CTRL_EOF:
                return state.pointee.reachedEOF ? 1 : 0
            case BIO_C_GET_FD:
                pointer?.assumingMemoryBound(to: Int32.self).pointee = state.pointee.fd
                return Int(state.pointee.fd)
            default:
                return 0
            }
        }
        BIO_meth_set_destroy(method) { bio in
            guard let bio, let data = BIO_get_data(bio) else { return 1 }
            let state = data.assumingMemoryBound(to: State.self)
            state.deinitialize(count: 1)
            state.deallocate()
            BIO_set_data(bio, nil)
            return 1
        }
        return method
    }
}
