/// A failed OpenSSL call: which operation, and the drained OpenSSL error queue as text.
public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The OpenSSL call or step that failed, e.g. "SSL_CTX_use_certificate_chain_file".
    public let operation: String
    /// Every entry of the thread's OpenSSL error queue (ERR_error_string_n), joined by "; ".
    public let reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }

    /// Builds the error from (and so empties) the calling thread's OpenSSL error queue.
    static func drainingQueue(operation: String, fallback: String = "unknown OpenSSL error") -> TLSError {
        TLSError(operation: operation, reason: OpenSSLErrorQueue.drain() ?? fallback)
    }
}
