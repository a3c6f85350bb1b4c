import COpenSSL

/// An OpenSSL SSL_CTX: protocol limits, certificates and verification policy shared by many
/// connections. Immutable once built, which is what makes sharing it across threads safe
/// (OpenSSL allows concurrent SSL_new on a configured SSL_CTX), hence `@unchecked Sendable`.
public final class TLSContext: @unchecked Sendable {
    /// The SSL_CTX*. Each SSL made from it holds its own reference, so a context replaced by
    /// a reload stays alive until its last connection is freed.
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        SSL_CTX_free(handle)
    }

    /// TLS 1.2 and newer AEAD suites with forward secrecy (Mozilla "intermediate" without DHE,
    /// which would need DH parameters). TLS 1.3 suites are OpenSSL's defaults, all AEAD.
    static let serverCipherList =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// Server context: TLS 1.2 minimum (TLS 1.3 negotiated when the client offers it), sensible
    /// cipher defaults, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
    /// SSL_MODE_RELEASE_BUFFERS, session cache on, checks the key matches the certificate.
    /// With `clientCAPath`, a client certificate is required and verified against that file.
    public static func server(_ configuration: TLSConfiguration) throws(TLSError) -> TLSContext {
        let context = try make(method: TLS_server_method(), minimum: .tls1_2, maximum: nil)
        let ctx = context.handle
        // Our preference order wins over the client's; renegotiation is a CPU DoS vector and
        // unnecessary for HTTP/1.1 (RFC 7540 forbids it for h2 as well).
        _ = mwrasp_SSL_CTX_set_options(
            ctx, UInt(mwrasp_SSL_OP_CIPHER_SERVER_PREFERENCE() | mwrasp_SSL_OP_NO_RENEGOTIATION()))
        try check(SSL_CTX_set_cipher_list(ctx, serverCipherList), "SSL_CTX_set_cipher_list")

        _ = mwrasp_SSL_CTX_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_SERVER))
        // Resumption is refused without a session id context once client certs are verified.
        let sessionContext: [UInt8] = Array("mwrasp".utf8)
        try check(
            SSL_CTX_set_session_id_context(ctx, sessionContext, UInt32(sessionContext.count)),
            "SSL_CTX_set_session_id_context")

        try context.useCertificate(
            chainPath: configuration.certificateChainPath, keyPath: configuration.privateKeyPath)

        if let caPath = configuration.clientCAPath {
            try check(SSL_CTX_load_verify_locations(ctx, caPath, nil), "SSL_CTX_load_verify_locations(\(caPath))")
            // The CA names go into CertificateRequest so clients know which certificate to send.
            guard let names = SSL_load_client_CA_file(caPath) else {
                throw .drainingQueue(operation: "SSL_load_client_CA_file(\(caPath))")
            }
            SSL_CTX_set_client_CA_list(ctx, names)  // takes ownership of `names`
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
        return context
    }

    /// Client context for tests and outbound connectors: trusts `trustedCAPath` (or the system
    /// store when nil), optional client certificate for mTLS, verifies the server hostname when
    /// `serverName` is given to `TLSStream`.
    ///
    /// The protocol bounds exist so tests can play a legacy client. A minimum below TLS 1.2
    /// also drops OpenSSL's security level to 0, because OpenSSL 3 refuses TLS 1.0/1.1 at
    /// level 1 and above and would otherwise never send the old ClientHello at all.
    public static func client(
        trustedCAPath: String?, certificateChainPath: String? = nil, privateKeyPath: String? = nil,
        minimumProtocolVersion: TLSProtocolVersion = .tls1_2,
        maximumProtocolVersion: TLSProtocolVersion? = nil
    ) throws(TLSError) -> TLSContext {
        let context = try make(
            method: TLS_client_method(), minimum: minimumProtocolVersion, maximum: maximumProtocolVersion)
        let ctx = context.handle
        if minimumProtocolVersion < .tls1_2 {
            SSL_CTX_set_security_level(ctx, 0)
            try check(SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0"), "SSL_CTX_set_cipher_list")
        }
        if let trustedCAPath {
            try check(
                SSL_CTX_load_verify_locations(ctx, trustedCAPath, nil),
                "SSL_CTX_load_verify_locations(\(trustedCAPath))")
        } else {
            try check(SSL_CTX_set_default_verify_paths(ctx), "SSL_CTX_set_default_verify_paths")
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)

        switch (certificateChainPath, privateKeyPath) {
        case (nil, nil):
            break
        case let (chainPath?, keyPath?):
            try context.useCertificate(chainPath: chainPath, keyPath: keyPath)
        default:
            throw TLSError(
                operation: "TLSContext.client",
                reason: "certificateChainPath and privateKeyPath must be given together")
        }
        return context
    }

    /// The subject of this context's own (leaf) certificate, one-line form; nil without one.
    /// Handy for logging which certificate a reload installed.
    public var certificateSubject: String? {
        guard let certificate = SSL_CTX_get0_certificate(handle) else { return nil }
        return OpenSSLX509.subjectOneLine(certificate)
    }

    // MARK: - Building blocks

    private static func make(
        method: OpaquePointer?, minimum: TLSProtocolVersion, maximum: TLSProtocolVersion?
    ) throws(TLSError) -> TLSContext {
        OpenSSLErrorQueue.clear()
        guard let ctx = SSL_CTX_new(method) else { throw .drainingQueue(operation: "SSL_CTX_new") }
        let context = TLSContext(handle: ctx)  // from here on, deinit frees ctx if we throw
        try check(
            Int32(mwrasp_SSL_CTX_set_min_proto_version(ctx, minimum.openSSLValue)),
            "SSL_CTX_set_min_proto_version")
        if let maximum {
            try check(
                Int32(mwrasp_SSL_CTX_set_max_proto_version(ctx, maximum.openSSLValue)),
                "SSL_CTX_set_max_proto_version")
        }
        // Compression enables CRIME. A TCP EOF without close_notify is reported as a clean
        // close: HTTP framing (Content-Length, chunked) already detects truncated bodies.
        _ = mwrasp_SSL_CTX_set_options(
            ctx, UInt(mwrasp_SSL_OP_NO_COMPRESSION() | mwrasp_SSL_OP_IGNORE_UNEXPECTED_EOF()))
        // Partial writes and a moving write buffer suit a non-blocking loop whose send buffer
        // may be reallocated between retries; releasing buffers saves ~34 KiB per idle connection.
        _ = mwrasp_SSL_CTX_set_mode(
            ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
        return context
    }

    private func useCertificate(chainPath: String, keyPath: String) throws(TLSError) {
        try Self.check(
            SSL_CTX_use_certificate_chain_file(handle, chainPath),
            "SSL_CTX_use_certificate_chain_file(\(chainPath))")
        try Self.check(
            SSL_CTX_use_PrivateKey_file(handle, keyPath, SSL_FILETYPE_PEM),
            "SSL_CTX_use_PrivateKey_file(\(keyPath))")
        try Self.check(SSL_CTX_check_private_key(handle), "SSL_CTX_check_private_key")
    }

    /// OpenSSL's configuration calls return 1 on success.
    private static func check(_ result: Int32, _ operation: String) throws(TLSError) {
        guard result == 1 else { throw .drainingQueue(operation: operation) }
    }
}
