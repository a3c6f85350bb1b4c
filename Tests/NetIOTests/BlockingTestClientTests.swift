import NetIO
import TestSupport
import Testing

/// The raw-bytes client is what the HTTP server's end-to-end tests stand on, so it is tested
/// against canned servers here: framing, pipelining, timeouts, TLS.
@Suite("BlockingTestClient")
struct BlockingTestClientTests {
    /// Accepts one connection, reads `requests` request heads, sends `response` in one write,
    /// then half-closes and waits for the client to close.
    /// Runs on its own thread from the start, so it never waits for a concurrency-pool thread.
    static func cannedServer(
        _ listener: LoopbackListener, requests: Int, response: String,
        tls: TLSContext? = nil
    ) -> BlockingThread<[String]> {
        BlockingThread {
            let fd = try listener.accept()
            let peer = try BlockingTestClient(adopting: fd, tls: tls.map { ($0, .server) })
            var heads: [String] = []
            for _ in 0..<requests { heads.append(try peer.read(until: "\r\n\r\n")) }
            try peer.send(response)
            peer.shutdownWrite()
            _ = peer.isClosedByPeer(timeout: .seconds(5))
            return heads
        }
    }

    @Test func pipelinedResponses_areReadInOrder() async throws {
        let listener = try LoopbackListener()
        let responses = [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Seq: 1\r\n\r\nfirst",
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nseco\r\n2;ext=1\r\nnd\r\n0\r\nX-Trailer: yes\r\n\r\n",
            "HTTP/1.1 204 No Content\r\nX-Seq: 3\r\nX-Seq: 3b\r\n\r\n",
        ]
        let served = Self.cannedServer(listener, requests: 3, response: responses.joined())
        let read = try await BlockingIO.run {
            let client = try BlockingTestClient(port: listener.port)
            let request = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            try client.send(String(repeating: request, count: 3))
            let all = try (0..<3).map { _ in try client.readResponse() }
            #expect(client.isClosedByPeer())
            return all
        }
        #expect(try await served.value.count == 3)
        #expect(read.map(\.status) == [200, 201, 204])
        #expect(read[0].bodyText == "first" && read[0].header("x-seq") == "1")
        #expect(read[1].bodyText == "second" && read[1].wasChunked)
        #expect(read[1].trailers.first?.0 == "X-Trailer")
        #expect(read[2].body.isEmpty && read[2].headerValues("X-Seq") == ["3", "3b"])
    }

    @Test func continueHEADAndCloseDelimitedBodies() async throws {
        let listener = try LoopbackListener()
        let response = "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"  // answer to HEAD: no body follows
            + "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"
        let served = Self.cannedServer(listener, requests: 1, response: response)
        let (interim, head, last) = try await BlockingIO.run {
            let client = try BlockingTestClient(port: listener.port)
            // Sent slowly, in pieces, like a slowloris client would.
            try client.send(Array("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), pieceSize: 7, delay: .milliseconds(5))
            return (try client.readResponse(), try client.readResponse(isResponseToHEAD: true), try client.readResponse())
        }
        #expect(try await served.value == ["HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"])
        #expect(interim.status == 100)
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == "10")
        #expect(last.bodyText == "until the end")
    }

    @Test func silentServer_timesOutInsteadOfHanging() async throws {
        let listener = try LoopbackListener()  // the kernel completes the connect; nobody answers
        let (error, elapsed) = try await BlockingIO.run { () -> (TestSupportError?, Duration) in
            let client = try BlockingTestClient(port: listener.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let start = ContinuousClock.now  // measured here: awaiting the result may queue
            #expect(!client.isClosedByPeer(timeout: .milliseconds(100)))
            do {
                _ = try client.readResponse(timeout: .milliseconds(200))
                return (nil, ContinuousClock.now - start)
            } catch {
                return (error as? TestSupportError, ContinuousClock.now - start)
            }
        }
        #expect(error == .timeout("waiting for data"))
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(2), "\(elapsed)")
    }

    @Test func malformedOrTruncatedResponses_throw() async throws {
        for (response, expected) in [
            ("HTTX/1.1 200 OK\r\n\r\n", "status line"),
            ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "space in field name"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "after 5 of 10"),
        ] {
            let listener = try LoopbackListener()
            let served = Self.cannedServer(listener, requests: 1, response: response)
            let message = try await BlockingIO.run { () -> String in
                let client = try BlockingTestClient(port: listener.port)
                try client.send("GET / HTTP/1.1\r\n\r\n")
                do {
                    _ = try client.readResponse()
                    return "no error"
                } catch {
                    return "\(error)"
                }
            }
            _ = try await served.value
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func tlsVariant_exchangesHTTPOverTLS13() async throws {
        let certificates = try TestCertificates.shared()
        let serverContext = try TLSContext.server(certificates.serverConfiguration())
        let clientContext = try certificates.makeClientContext()
        let listener = try LoopbackListener()
        let served = Self.cannedServer(
            listener, requests: 2,
            response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes",
            tls: serverContext)
        let (version, bodies) = try await BlockingIO.run {
            let client = try BlockingTestClient(tlsPort: listener.port, context: clientContext)
            try client.send(String(repeating: "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", count: 2))
            let bodies = [try client.readResponse().bodyText, try client.readResponse().bodyText]
            #expect(client.isClosedByPeer())
            return (client.tlsStream?.protocolVersion, bodies)
        }
        #expect(try await served.value.count == 2)
        #expect(version == "TLSv1.3")
        #expect(bodies == ["ok", "yes"])
    }

    @Test func tlsVariant_reportsHandshakeFailure() async throws {
        let certificates = try TestCertificates.shared()
        let serverContext = try TLSContext.server(certificates.serverConfiguration())
        let listener = try LoopbackListener()
        let accepted = BlockingThread { () -> Bool in
            let fd = try listener.accept()
            return (try? BlockingTestClient(adopting: fd, tls: (serverContext, .server), timeout: .seconds(2))) != nil
        }
        let error = await #expect(throws: TestSupportError.self) {
            try await BlockingIO.run {
                _ = try BlockingTestClient(
                    tlsPort: listener.port, context: try TLSContext.client(trustedCAPath: certificates.rogueCACertificatePath))
            }
        }
        #expect(try await accepted.value == false)
        #expect("\(error.map { "\($0)" } ?? "")".contains("certificate verify failed"))
    }
}
