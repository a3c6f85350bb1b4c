/// The outcome of one non-blocking TLS step.
public enum TLSResult: Sendable, Equatable {
    /// Bytes read or written; `.bytes(0)` from `handshake()` means the handshake is complete.
    case bytes(Int)
    /// Retry when the socket is readable (EPOLLIN). Also possible from `write` (TLS may need
    /// to read before it can write, e.g. a key update).
    case wantRead
    /// Retry when the socket is writable (EPOLLOUT). Also possible from `read` and `handshake`.
    case wantWrite
    /// The peer sent close_notify, or closed the TCP connection (EOF).
    case closed
    /// A fatal protocol or socket error; the connection must be closed. Carries the reason.
    case failed(String)
}
