/// Where the server's certificate material lives. Paths are read when a `TLSContext` is built,
/// so a SIGHUP reload (`TLSContextStore.reload()`) picks up files replaced in place.
public struct TLSConfiguration: Sendable, Equatable {
    /// PEM, leaf first then intermediates.
    public var certificateChainPath: String
    /// PEM private key matching the leaf.
    public var privateKeyPath: String
    /// When set: mTLS, a client certificate is REQUIRED and verified against this PEM CA file.
    public var clientCAPath: String?

    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }
}
