import NetIO
import TestSupport
import Testing

@Suite("TLS client certificates (mTLS)")
struct TLSMutualAuthTests {
    let certificates: TestCertificates
    let serverContext: TLSContext

    init() throws {
        certificates = try TestCertificates.shared()
        serverContext = try TLSContext.server(certificates.serverConfiguration(requireClientCertificate: true))
    }

    @Test func trustedClientCertificate_isAccepted_andSubjectReported() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext(identity: .trusted))
        let outcome = pair.handshake()
        #expect(outcome.server == .bytes(0) && outcome.client == .bytes(0))
        #expect(pair.server.peerCertificateSubject == TestCertificates.clientSubject)
        let bytes = Array("authenticated".utf8)
        #expect(pair.transfer(bytes, from: pair.client, to: pair.server).received == bytes)
    }

    @Test func clientWithoutCertificate_isRefused() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext(identity: .none))
        let outcome = pair.handshake()
        let reason = try #require(outcome.server.failureReason)
        #expect(reason.contains("peer did not return a certificate"), "\(reason)")
        #expect(pair.server.peerCertificateSubject == nil)
        // In TLS 1.3 the client finishes first and learns of the refusal on its next read.
        #expect(Self.clientLearnsOfFailure(pair, outcome))
    }

    @Test func rogueCAClientCertificate_isRefused() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext(identity: .rogue))
        let outcome = pair.handshake()
        let reason = try #require(outcome.server.failureReason)
        #expect(reason.contains("certificate verify failed"), "\(reason)")
        #expect(Self.clientLearnsOfFailure(pair, outcome))
    }

    private static func clientLearnsOfFailure(_ pair: TLSTestPair, _ outcome: TLSTestPair.Outcome) -> Bool {
        if outcome.client.failureReason != nil { return true }
        return pair.readOutcome(pair.client).failureReason != nil
    }
}
