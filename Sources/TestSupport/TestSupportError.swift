/// Failures of the test helpers. Each carries enough text to make a failed test readable.
public enum TestSupportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed.
    case system(call: String, errno: Int32)
    /// Nothing happened before the deadline (so a test fails instead of hanging).
    case timeout(String)
    /// The peer closed the connection before the expected bytes arrived.
    case connectionClosed(String)
    /// The bytes received are not a valid HTTP/1.1 response.
    case malformedResponse(String)
    /// The TLS layer failed (handshake or record error).
    case tls(String)
    /// An external command (the `openssl` tool) failed.
    case commandFailed(String)

    public var description: String {
        switch self {
        case let .system(call, code): "\(call) failed: errno \(code)"
        case let .timeout(what): "timed out: \(what)"
        case let .connectionClosed(what): "connection closed: \(what)"
        case let .malformedResponse(what): "malformed response: \(what)"
        case let .tls(what): "TLS: \(what)"
        case let .commandFailed(what): "command failed: \(what)"
        }
    }
}
