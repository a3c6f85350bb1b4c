import Foundation
import NetIO
import Synchronization

/// A throwaway PKI for TLS tests, made with the `openssl` command line (EC P-256, ~50 ms):
///
/// - a root CA, and an intermediate CA under it;
/// - a server certificate for `localhost` / `127.0.0.1` issued by the intermediate, served as
///   a chain file (leaf, then intermediate), so chain handling is exercised too;
/// - a client certificate issued by the root CA (the mTLS trust anchor);
/// - an unrelated "rogue" CA and a client certificate from it with the same subject as the
///   good one, to show that the issuer, not the name, is what gets verified.
///
/// `shared()` makes one set per test process (tests run in parallel) and removes it at exit.
public struct TestCertificates: Sendable {
    public let directory: String
    public let caCertificatePath: String
    public let intermediateCertificatePath: String
    public let serverCertificateChainPath: String
    public let serverPrivateKeyPath: String
    public let clientCertificatePath: String
    public let clientPrivateKeyPath: String
    public let rogueCACertificatePath: String
    public let rogueClientCertificatePath: String
    public let rogueClientPrivateKeyPath: String
    let intermediatePrivateKeyPath: String
    let configPath: String

    /// Subjects in the one-line form `TLSStream.peerCertificateSubject` reports.
    public static let serverSubject = "O = MWRASP Test, CN = localhost"
    public static let clientSubject = "O = MWRASP Test, CN = mwrasp-test-client"

    public enum ClientIdentity: Sendable {
        /// No client certificate.
        case none
        /// The client certificate issued by the trusted CA.
        case trusted
        /// The look-alike client certificate issued by the rogue CA.
        case rogue
    }

    /// The per-process set, generated on first use (thread-safe: a lazy static).
    public static func shared() throws(TestSupportError) -> TestCertificates {
        try cachedShared.get()
    }

    private static let cachedShared: Result<TestCertificates, TestSupportError> = Result {
        () throws(TestSupportError) -> TestCertificates in
        let certificates = try generate()
        TemporaryDirectories.removeAtExit(certificates.directory)
        return certificates
    }

    /// A fresh set in `directory` (a new temporary directory when nil); the caller owns it.
    public static func generate(in directory: String? = nil) throws(TestSupportError) -> TestCertificates {
        let directory = if let directory { directory } else { try TemporaryDirectories.make() }
        let path = { (name: String) in directory + "/" + name }
        try write(opensslConfig, to: path("openssl.cnf"))
        let certificates = TestCertificates(
            directory: directory,
            caCertificatePath: path("ca.pem"),
            intermediateCertificatePath: path("intermediate.pem"),
            serverCertificateChainPath: path("server-chain.pem"),
            serverPrivateKeyPath: path("server.key"),
            clientCertificatePath: path("client.pem"),
            clientPrivateKeyPath: path("client.key"),
            rogueCACertificatePath: path("rogue-ca.pem"),
            rogueClientCertificatePath: path("rogue-client.pem"),
            rogueClientPrivateKeyPath: path("rogue-client.key"),
            intermediatePrivateKeyPath: path("intermediate.key"),
            configPath: path("openssl.cnf"))

        try certificates.issue(subject: "/O=MWRASP Test/CN=MWRASP Test Root CA", extensions: "ca_ext",
                               certificate: path("ca.pem"), key: path("ca.key"), issuer: nil)
        try certificates.issue(subject: "/O=MWRASP Test/CN=MWRASP Test Intermediate CA", extensions: "ca_ext",
                               certificate: path("intermediate.pem"), key: path("intermediate.key"),
                               issuer: (path("ca.pem"), path("ca.key")))
        _ = try certificates.makeServerCertificate(commonName: "localhost", in: directory, name: "server")
        try certificates.issue(subject: "/O=MWRASP Test/CN=mwrasp-test-client", extensions: "client_ext",
                               certificate: path("client.pem"), key: path("client.key"),
                               issuer: (path("ca.pem"), path("ca.key")))
        try certificates.issue(subject: "/O=Rogue/CN=Rogue Test CA", extensions: "ca_ext",
                               certificate: path("rogue-ca.pem"), key: path("rogue-ca.key"), issuer: nil)
        try certificates.issue(subject: "/O=MWRASP Test/CN=mwrasp-test-client", extensions: "client_ext",
                               certificate: path("rogue-client.pem"), key: path("rogue-client.key"),
                               issuer: (path("rogue-ca.pem"), path("rogue-ca.key")))
        return certificates
    }

    /// Issues another server certificate (SAN localhost, 127.0.0.1; subject
    /// "O = MWRASP Test, CN = <commonName>") from the same intermediate, writing
    /// `<name>-chain.pem` and `<name>.key` into `directory`. For certificate-reload tests.
    public func makeServerCertificate(commonName: String, in directory: String, name: String)
        throws(TestSupportError) -> (chainPath: String, keyPath: String)
    {
        let leafPath = "\(directory)/\(name).pem"
        let keyPath = "\(directory)/\(name).key"
        let chainPath = "\(directory)/\(name)-chain.pem"
        try issue(subject: "/O=MWRASP Test/CN=\(commonName)", extensions: "server_ext",
                  certificate: leafPath, key: keyPath,
                  issuer: (intermediateCertificatePath, intermediatePrivateKeyPath))
        // Chain file: leaf first, then the intermediate (what SSL_CTX_use_certificate_chain_file wants).
        do {
            let leaf = try String(contentsOfFile: leafPath, encoding: .utf8)
            let intermediate = try String(contentsOfFile: intermediateCertificatePath, encoding: .utf8)
            try Self.write(leaf + intermediate, to: chainPath)
        } catch let error as TestSupportError {
            throw error
        } catch {
            throw .commandFailed("reading \(leafPath): \(error)")
        }
        return (chainPath, keyPath)
    }

    /// The server configuration for these files; with `requireClientCertificate`, mTLS
    /// against the root CA.
    public func serverConfiguration(requireClientCertificate: Bool = false) -> TLSConfiguration {
        TLSConfiguration(
            certificateChainPath: serverCertificateChainPath, privateKeyPath: serverPrivateKeyPath,
            clientCAPath: requireClientCertificate ? caCertificatePath : nil)
    }

    /// A client context trusting the root CA, presenting `identity`.
    public func makeClientContext(identity: ClientIdentity = .none) throws(TLSError) -> TLSContext {
        switch identity {
        case .none:
            try .client(trustedCAPath: caCertificatePath)
        case .trusted:
            try .client(trustedCAPath: caCertificatePath, certificateChainPath: clientCertificatePath,
                        privateKeyPath: clientPrivateKeyPath)
        case .rogue:
            try .client(trustedCAPath: caCertificatePath, certificateChainPath: rogueClientCertificatePath,
                        privateKeyPath: rogueClientPrivateKeyPath)
        }
    }

    // MARK: - openssl

    /// One `openssl req -x509` call: new P-256 key plus a certificate, self-signed when
    /// `issuer` is nil. (`req -CA` is OpenSSL 3.0+, which saves a CSR round trip.)
    private func issue(subject: String, extensions: String, certificate: String, key: String,
                       issuer: (certificate: String, key: String)?) throws(TestSupportError) {
        var arguments = [
            "req", "-x509", "-config", configPath, "-extensions", extensions,
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
            "-keyout", key, "-out", certificate, "-days", "30", "-subj", subject,
        ]
        if let issuer { arguments += ["-CA", issuer.certificate, "-CAkey", issuer.key] }
        try Self.runOpenSSL(arguments)
    }

    static let opensslPath = "/usr/bin/openssl"

    private static func runOpenSSL(_ arguments: [String]) throws(TestSupportError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .commandFailed("\(opensslPath): \(error)")
        }
        // Read before waiting so a chatty stderr cannot fill the pipe and deadlock.
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .commandFailed(
                "openssl \(arguments.joined(separator: " ")): \(String(decoding: output, as: UTF8.self))")
        }
    }

    static func write(_ text: String, to path: String) throws(TestSupportError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .commandFailed("writing \(path): \(error)")
        }
    }

    /// Self-contained so the system openssl.cnf (and its defaults) cannot change the result.
    private static let opensslConfig = """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = unused
        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        [server_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = DNS:localhost, IP:127.0.0.1
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        [client_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = clientAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """
}
