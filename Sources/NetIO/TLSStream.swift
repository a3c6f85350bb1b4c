import COpenSSL
import Glibc

/// A TLS session over a connected NON-BLOCKING socket. Never blocks: every call returns
/// `.wantRead`/`.wantWrite` when the socket would block, and the caller retries once epoll
/// says the socket is ready. Not thread-safe: one event-loop thread owns it.
///
/// The stream does not own the fd: close it after the stream is released (or at least after
/// the last call). Writes use send(MSG_NOSIGNAL) (see `OpenSSLSocketBIO`), so TLS traffic
/// never raises SIGPIPE; the server should still ignore SIGPIPE for its plain sockets.
///
/// Read loop: read until `.wantRead`, or, if you stop earlier (buffer full), read again while
/// `hasBufferedPlaintext` is true. Decrypted bytes held by OpenSSL do not wake epoll.
public final class TLSStream {
    public enum Role: Sendable {
        case server
        /// `serverName` is sent as SNI (for DNS names) and verified against the certificate's
        /// subjectAltName (DNS name or IP address). Nil: the chain is verified, the name is not.
        case client(serverName: String?)
    }

    public let context: TLSContext
    public let fileDescriptor: Int32
    private let ssl: OpaquePointer
    /// Set by the first fatal error; afterwards every call returns it without touching OpenSSL.
    private var failure: String?
    /// OpenSSL forbids SSL_shutdown after SSL_ERROR_SYSCALL or SSL_ERROR_SSL (including EOF).
    private var shutdownAllowed = true
    private var sentCloseNotify = false

    public init(context: TLSContext, fileDescriptor: Int32, role: Role) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.handle) else { throw .drainingQueue(operation: "SSL_new") }
        guard let bio = OpenSSLSocketBIO.make(fileDescriptor: fileDescriptor) else {
            SSL_free(ssl)
            throw .drainingQueue(operation: "BIO_new", fallback: "could not allocate the socket BIO")
        }
        SSL_set_bio(ssl, bio, bio)  // one reference, owned by ssl from here on

        switch role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client(let serverName):
            if let serverName, let error = Self.configureServerName(ssl, serverName) {
                SSL_free(ssl)
                throw error
            }
            SSL_set_connect_state(ssl)
        }
        self.context = context
        self.fileDescriptor = fileDescriptor
        self.ssl = ssl
    }

    deinit {
        SSL_free(ssl)
    }

    /// Drives the handshake; `.bytes(0)` once it is complete (and on every call after that).
    public func handshake() -> TLSResult {
        if let failure { return .failed(failure) }
        if isHandshakeComplete { return .bytes(0) }
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        let savedErrno = errno
        if result == 1 { return .bytes(0) }
        return classify(result, errno: savedErrno, operation: "handshake")
    }

    public var isHandshakeComplete: Bool {
        SSL_is_init_finished(ssl) == 1
    }

    /// Reads decrypted bytes; `.bytes(n)` with n > 0, or want*/closed/failed. An empty buffer
    /// reads nothing and returns `.bytes(0)`. Completes the handshake implicitly if needed.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSResult {
        if let failure { return .failed(failure) }
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        OpenSSLErrorQueue.clear()
        var count = 0
        let result = SSL_read_ex(ssl, base, buffer.count, &count)
        let savedErrno = errno
        if result == 1 { return .bytes(count) }
        return classify(result, errno: savedErrno, operation: "read")
    }

    /// Encrypts and sends; partial writes allowed (`.bytes(n)` with n < count). On `.wantWrite`
    /// (or `.wantRead`) retry later with the SAME bytes, as OpenSSL requires.
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSResult {
        if let failure { return .failed(failure) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .bytes(0) }
        OpenSSLErrorQueue.clear()
        var count = 0
        let result = SSL_write_ex(ssl, base, bytes.count, &count)
        let savedErrno = errno
        if result == 1 { return .bytes(count) }
        return classify(result, errno: savedErrno, operation: "write")
    }

    /// SSL_pending > 0: decrypted bytes are waiting inside OpenSSL, so the loop must read
    /// again without waiting for epoll.
    public var hasBufferedPlaintext: Bool {
        SSL_pending(ssl) > 0
    }

    /// Best-effort close_notify, one non-blocking attempt; the caller closes the fd afterwards.
    /// Skipped before the handshake completed or after a fatal error.
    public func shutdown() {
        guard shutdownAllowed, failure == nil, !sentCloseNotify, isHandshakeComplete else { return }
        sentCloseNotify = true
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()  // a would-block here is expected and must not leak
    }

    /// The negotiated protocol, e.g. "TLSv1.3"; nil before the handshake completed.
    public var protocolVersion: String? {
        guard isHandshakeComplete, let version = SSL_get_version(ssl) else { return nil }
        return String(cString: version)
    }

    /// The peer certificate's subject in one-line form: the client certificate on a server
    /// (mTLS), the server certificate on a client. Nil when the peer sent none.
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        return OpenSSLX509.subjectOneLine(certificate)
    }

    // MARK: - Private

    /// Maps a failed SSL_* call to a result. Must run right after the call: SSL_get_error
    /// reads the thread's error queue, which is why every call clears it first.
    private func classify(_ result: Int32, errno savedErrno: Int32, operation: String) -> TLSResult {
        let error = SSL_get_error(ssl, result)
        switch error {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closed  // close_notify received (or EOF, via SSL_OP_IGNORE_UNEXPECTED_EOF)
        case SSL_ERROR_SYSCALL:
            shutdownAllowed = false
            let queued = OpenSSLErrorQueue.drain()
            if queued == nil && savedErrno == 0 { return .closed }  // EOF with nothing queued
            let systemReason = savedErrno == 0 ? nil : String(cString: strerror(savedErrno))
            return fail("\(operation): \(queued ?? systemReason ?? "system call failed")")
        case SSL_ERROR_SSL:
            shutdownAllowed = false
            let (queued, unexpectedEOF) = OpenSSLErrorQueue.drain(
                lookingFor: SSL_R_UNEXPECTED_EOF_WHILE_READING)
            if unexpectedEOF { return .closed }
            return fail("\(operation): \(queued ?? "protocol error")\(verifyFailureDetail())")
        default:
            shutdownAllowed = false
            return fail("\(operation): SSL_get_error \(error): \(OpenSSLErrorQueue.drain() ?? "")")
        }
    }

    private func fail(_ reason: String) -> TLSResult {
        failure = reason
        return .failed(reason)
    }

    /// "certificate verify failed" alone does not say why; X509_V_ERR text does.
    private func verifyFailureDetail() -> String {
        let code = SSL_get_verify_result(ssl)
        guard code != X509_V_OK, let text = X509_verify_cert_error_string(code) else { return "" }
        return " (\(String(cString: text)))"
    }

    /// SNI plus hostname verification for a client; returns the error instead of throwing so
    /// the caller can free the SSL first.
    private static func configureServerName(_ ssl: OpaquePointer, _ name: String) -> TLSError? {
        if isIPAddress(name) {
            // RFC 6066 §3: SNI carries DNS names only, so an IP is verified but not sent.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1 else {
                return .drainingQueue(operation: "X509_VERIFY_PARAM_set1_ip_asc(\(name))")
            }
            return nil
        }
        guard mwrasp_SSL_set_tlsext_host_name(ssl, name) == 1 else {
            return .drainingQueue(operation: "SSL_set_tlsext_host_name(\(name))")
        }
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        guard SSL_set1_host(ssl, name) == 1 else {
            return .drainingQueue(operation: "SSL_set1_host(\(name))")
        }
        return nil
    }

    private static func isIPAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
