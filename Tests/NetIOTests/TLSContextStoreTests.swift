import Foundation
import NetIO
import TestSupport
import Testing

@Suite("TLSContextStore")
struct TLSContextStoreTests {
    /// A live chain/key pair at fixed paths (as in production), plus two certificates to
    /// rotate through it.
    struct Fixture {
        let directory: String
        let configuration: TLSConfiguration
        let first: (chainPath: String, keyPath: String)
        let second: (chainPath: String, keyPath: String)
        let certificates: TestCertificates

        init() throws {
            certificates = try TestCertificates.shared()
            directory = try TemporaryDirectories.make()
            first = try certificates.makeServerCertificate(commonName: "reload-one", in: directory, name: "one")
            second = try certificates.makeServerCertificate(commonName: "reload-two", in: directory, name: "two")
            configuration = TLSConfiguration(
                certificateChainPath: directory + "/live-chain.pem", privateKeyPath: directory + "/live.key")
            try install(first)
        }

        func install(_ pair: (chainPath: String, keyPath: String)) throws {
            try replace(configuration.certificateChainPath, with: Data(contentsOf: URL(fileURLWithPath: pair.chainPath)))
            try replace(configuration.privateKeyPath, with: Data(contentsOf: URL(fileURLWithPath: pair.keyPath)))
        }

        func replace(_ path: String, with data: Data) throws {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// A new connection through the store's current context; returns the served subject.
        func connect(_ store: TLSContextStore) throws -> TLSTestPair {
            let pair = try TLSTestPair(serverContext: store.current, clientContext: certificates.makeClientContext())
            let outcome = pair.handshake()
            #expect(outcome.server == .bytes(0) && outcome.client == .bytes(0))
            return pair
        }
    }

    @Test func reload_servesNewCertificateToNewConnections_andKeepsExistingOnes() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try TLSContextStore(configuration: fixture.configuration)
        let before = try fixture.connect(store)
        #expect(before.client.peerCertificateSubject == "O = MWRASP Test, CN = reload-one")

        try fixture.install(fixture.second)
        try store.reload()
        #expect(store.current.certificateSubject == "O = MWRASP Test, CN = reload-two")
        let after = try fixture.connect(store)
        #expect(after.client.peerCertificateSubject == "O = MWRASP Test, CN = reload-two")

        // The connection made before the reload still works on the context it started with.
        let bytes = Array("still here".utf8)
        #expect(before.transfer(bytes, from: before.server, to: before.client).received == bytes)
        #expect(before.client.peerCertificateSubject == "O = MWRASP Test, CN = reload-one")
    }

    @Test func reload_withBrokenFiles_keepsServingTheOldCertificate() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try TLSContextStore(configuration: fixture.configuration)
        let original = store.current

        // A half-written certificate file.
        try fixture.replace(fixture.configuration.certificateChainPath, with: Data("-----BEGIN CERTIFICATE-----\nMIIB".utf8))
        #expect(throws: TLSError.self) { try store.reload() }
        #expect(store.current === original)

        // A certificate and key that do not belong together.
        try fixture.replace(
            fixture.configuration.certificateChainPath,
            with: Data(contentsOf: URL(fileURLWithPath: fixture.second.chainPath)))
        #expect(throws: TLSError.self) { try store.reload() }
        #expect(store.current === original)

        // A missing key file.
        try FileManager.default.removeItem(atPath: fixture.configuration.privateKeyPath)
        #expect(throws: TLSError.self) { try store.reload() }
        #expect(store.current === original)

        let pair = try fixture.connect(store)
        #expect(pair.client.peerCertificateSubject == "O = MWRASP Test, CN = reload-one")
    }

    @Test func init_withBrokenFiles_throws() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.configuration.certificateChainPath)
        #expect(throws: TLSError.self) { try TLSContextStore(configuration: fixture.configuration) }
    }

    @Test func concurrentReadersDuringReloads_alwaysSeeAUsableContext() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let store = try TLSContextStore(configuration: fixture.configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<20 { try store.reload() }
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<200 { #expect(store.current.certificateSubject != nil) }
                }
            }
            try await group.waitForAll()
        }
    }
}
