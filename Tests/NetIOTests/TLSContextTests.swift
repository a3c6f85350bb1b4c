import Foundation
import NetIO
import TestSupport
import Testing

@Suite("TLSContext")
struct TLSContextTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates.shared()
    }

    @Test func server_reportsItsCertificateSubject() throws {
        let context = try TLSContext.server(certificates.serverConfiguration())
        #expect(context.certificateSubject == TestCertificates.serverSubject)
        #expect(try certificates.makeClientContext().certificateSubject == nil)
    }

    @Test func server_missingCertificateFile_throwsWithPathAndReason() {
        var configuration = certificates.serverConfiguration()
        configuration.certificateChainPath = "/nonexistent/mwrasp/chain.pem"
        do {
            _ = try TLSContext.server(configuration)
            Issue.record("expected TLSError")
        } catch {
            #expect(error.operation.contains("/nonexistent/mwrasp/chain.pem"))
            #expect(error.reason.contains("No such file"), "\(error.reason)")
            #expect(error.description.hasPrefix(error.operation + ": "))
        }
    }

    @Test func server_keyNotMatchingCertificate_throws() {
        let configuration = TLSConfiguration(
            certificateChainPath: certificates.serverCertificateChainPath,
            privateKeyPath: certificates.clientPrivateKeyPath)
        #expect {
            try TLSContext.server(configuration)
        } throws: { error in
            // OpenSSL rejects the mismatch already when loading the key; either step is fine.
            let tlsError = error as? TLSError
            return tlsError?.reason.contains("values mismatch") == true
                || tlsError?.operation == "SSL_CTX_check_private_key"
        }
    }

    @Test func server_garbageInPEMFile_throws() throws {
        let directory = try TemporaryDirectories.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let garbage = directory + "/garbage.pem"
        try "this is not PEM\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        var configuration = certificates.serverConfiguration()
        configuration.privateKeyPath = garbage
        #expect(throws: TLSError.self) { try TLSContext.server(configuration) }
        configuration = certificates.serverConfiguration(requireClientCertificate: true)
        configuration.clientCAPath = garbage
        #expect(throws: TLSError.self) { try TLSContext.server(configuration) }
    }

    @Test func client_certificateWithoutKey_throws() {
        #expect(throws: TLSError.self) {
            try TLSContext.client(
                trustedCAPath: certificates.caCertificatePath,
                certificateChainPath: certificates.clientCertificatePath)
        }
    }

    @Test func client_systemTrustStore_loads() throws {
        _ = try TLSContext.client(trustedCAPath: nil)
    }
}
