import Foundation
import NetIO
import TestSupport
import Testing

@Suite struct TLSAndShutdownTests {
    @Test func tls_servesRequestsOverTLS13_withKeepAlive() async throws {
        let certificates = try TestCertificates.shared()
        let server = try TestServer.start(tls: certificates.serverConfiguration())
        defer { server.stop() }
        let tlsPort = try #require(server.tlsPort)
        try await BlockingIO.run {
            let client = try BlockingTestClient(tlsPort: tlsPort, context: try certificates.makeClientContext())
            defer { client.close() }
            #expect(client.tlsStream?.protocolVersion == "TLSv1.3")
            for _ in 0..<3 {
                try client.send(get("/healthz"))
                #expect(try client.readResponse().status == 200)
            }
        }
    }

    @Test func mtls_refusesClientsWithoutATrustedCertificate_andServesTrustedOnes() async throws {
        let certificates = try TestCertificates.shared()
        let server = try TestServer.start(tls: certificates.serverConfiguration(requireClientCertificate: true))
        defer { server.stop() }
        let tlsPort = try #require(server.tlsPort)
        try await BlockingIO.run {
            for identity in [TestCertificates.ClientIdentity.none, .rogue] {
                // TLS 1.3 finishes the client's side of the handshake before the server has
                // checked the certificate, so the refusal shows on the first exchange.
                var refused = false
                do {
                    let client = try BlockingTestClient(tlsPort: tlsPort, context: try certificates.makeClientContext(identity: identity))
                    defer { client.close() }
                    try client.send(get("/healthz"))
                    _ = try client.readResponse()
                } catch {
                    refused = true
                }
                #expect(refused, "client identity \(identity) must be refused")
            }
            let trusted = try BlockingTestClient(tlsPort: tlsPort, context: try certificates.makeClientContext(identity: .trusted))
            defer { trusted.close() }
            try trusted.send(get("/healthz"))
            #expect(try trusted.readResponse().status == 200)
        }
    }

    @Test func plainHTTPToTheTLSPort_isDropped_andOtherClientsAreUnaffected() async throws {
        let certificates = try TestCertificates.shared()
        let server = try TestServer.start(tls: certificates.serverConfiguration())
        defer { server.stop() }
        let tlsPort = try #require(server.tlsPort)
        try await BlockingIO.run {
            let stalled = try BlockingTestClient(port: tlsPort)   // connects, never says hello
            defer { stalled.close() }
            let wrong = try BlockingTestClient(port: tlsPort)
            defer { wrong.close() }
            try wrong.send(get("/healthz"))
            #expect(wrong.isClosedByPeer())
            let good = try BlockingTestClient(tlsPort: tlsPort, context: try certificates.makeClientContext())
            defer { good.close() }
            try good.send(get("/healthz"))
            #expect(try good.readResponse().status == 200)
        }
    }

    @Test func reloadTLS_servesTheNewCertificateToNewConnections() async throws {
        let certificates = try TestCertificates.shared()
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-reload")
        let certPath = directory + "/cert.pem"
        let keyPath = directory + "/key.pem"
        try FileManager.default.copyItem(atPath: certificates.serverCertificateChainPath, toPath: certPath)
        try FileManager.default.copyItem(atPath: certificates.serverPrivateKeyPath, toPath: keyPath)
        let server = try TestServer.start(tls: TLSConfiguration(certificateChainPath: certPath, privateKeyPath: keyPath))
        defer { server.stop() }
        let tlsPort = try #require(server.tlsPort)

        let replacement = try certificates.makeServerCertificate(commonName: "reloaded", in: directory, name: "next")
        try FileManager.default.removeItem(atPath: certPath)
        try FileManager.default.removeItem(atPath: keyPath)
        try FileManager.default.copyItem(atPath: replacement.chainPath, toPath: certPath)
        try FileManager.default.copyItem(atPath: replacement.keyPath, toPath: keyPath)
        #expect(server.server.reloadTLS().isEmpty)

        try FileManager.default.removeItem(atPath: keyPath)
        try "not a key".write(toFile: keyPath, atomically: true, encoding: .utf8)
        #expect(server.server.reloadTLS().count == 1, "a broken key is reported, not installed")

        try await BlockingIO.run {
            let client = try BlockingTestClient(tlsPort: tlsPort, context: try certificates.makeClientContext())
            defer { client.close() }
            try client.send(get("/healthz"))
            #expect(try client.readResponse().status == 200)
            #expect(client.tlsStream?.peerCertificateSubject == "O = MWRASP Test, CN = reloaded")
        }
    }

    @Test func gracefulShutdown_finishesTheInFlightRequest_andClosesIdleConnections() async throws {
        let server = try TestServer.start()
        let port = server.port
        let stopped = try await BlockingIO.run { () -> Bool in
            let idle = try server.client()
            defer { idle.close() }
            try idle.send(get("/healthz"))
            #expect(try idle.readResponse().status == 200)

            let busy = try server.client()
            defer { busy.close() }
            try busy.send(get("/slow?ms=800"))
            Thread.sleep(forTimeInterval: 0.1)
            let shutdown = Thread { server.stop() }
            shutdown.start()

            let response = try busy.readResponse(timeout: .seconds(10))
            #expect(response.status == 200)
            #expect(response.bodyText == "slept 800 ms")
            #expect(response.header("Connection") == "close")
            #expect(idle.isClosedByPeer(timeout: .seconds(5)))
            // No new connections once shutdown has begun.
            return (try? BlockingTestClient(port: port, connectTimeout: .milliseconds(500))).map { client in
                defer { client.close() }
                return client.isClosedByPeer(timeout: .seconds(2))
            } ?? true
        }
        #expect(stopped)
    }
}
