import Foundation
import NetIO
import TestSupport
import Testing

/// RFC 9112 behaviour over real sockets with a raw-bytes client.
@Suite struct HTTPBehaviourTests {
    @Test func keepAlive_servesSeveralRequestsOnOneConnection() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            for _ in 0..<5 {
                try client.send(get("/healthz"))
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == #"{"status":"ok"}"#)
                #expect(response.header("Connection") == nil)
            }
        }
    }

    @Test func pipelining_answersInRequestOrder_evenWhenTheFirstIsSlow() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send(get("/slow?ms=200") + get("/healthz") + get("/nope"))
            let first = try client.readResponse()
            let second = try client.readResponse()
            let third = try client.readResponse()
            #expect(first.bodyText == "slept 200 ms")
            #expect(second.status == 200)
            #expect(third.status == 404)
        }
    }

    @Test func slowHandler_doesNotStallOtherConnections() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let slow = try server.client()
            let fast = try server.client()
            defer { slow.close(); fast.close() }
            try slow.send(get("/slow?ms=3000"))
            try fast.send(get("/healthz"))
            #expect(try fast.readResponse().status == 200)
            // The fast answer came while the slow one is still being worked on.
            #expect(throws: TestSupportError.self) { try slow.readResponse(timeout: .milliseconds(100)) }
            #expect(try slow.readResponse(timeout: .seconds(10)).status == 200)
        }
    }

    @Test func chunkedUpload_isReassembled() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello, world")
        }
    }

    @Test func expectContinue_gets100BeforeTheBody_thenTheAnswer() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("ping")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.bodyText == "ping")
        }
    }

    @Test func head_hasHeadersButNoBody() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + get("/healthz"))
            let head = try client.readResponse(isResponseToHEAD: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "15")
            #expect(head.body.isEmpty)
            // The next response starts right after the head: no stray body bytes.
            #expect(try client.readResponse().bodyText == #"{"status":"ok"}"#)
        }
    }

    @Test func http10_closesAfterTheResponse_unlessKeepAliveIsAsked() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let plain = try server.client()
            defer { plain.close() }
            try plain.send("GET /healthz HTTP/1.0\r\n\r\n")
            #expect(try plain.readResponse().header("Connection") == "close")
            #expect(plain.isClosedByPeer())

            let keepAlive = try server.client()
            defer { keepAlive.close() }
            try keepAlive.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keepAlive.readResponse().header("Connection") == "keep-alive")
            try keepAlive.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keepAlive.readResponse().status == 200)
        }
    }

    @Test func requestID_isEchoedWhenWellFormed_andReplacedWhenNot() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send(get("/healthz", headers: ["X-Request-Id: siem-42.a"]))
            #expect(try client.readResponse().header("X-Request-Id") == "siem-42.a")
            try client.send(get("/nope", headers: ["X-Request-Id: bad id with spaces"]))
            let response = try client.readResponse()
            let generated = try #require(response.header("X-Request-Id"))
            #expect(generated != "bad id with spaces")
            #expect(response.bodyText.contains("\"request_id\":\"\(generated)\""))
        }
    }

    @Test func errors_areProblemJSON_and405ListsAllow() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
    }

    @Test(arguments: [
        ("Content-Length and Transfer-Encoding", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("differing Content-Length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400),
        ("obs-fold", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n", 400),
        ("space before colon", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("chunked not last", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400),
        ("unknown transfer coding", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("HTTP/2.0", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ])
    func smugglingShapes_areRefusedAndTheConnectionClosed(name: String, request: String, status: Int) async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send(request + get("/healthz"))
            let response = try client.readResponse()
            #expect(response.status == status, "\(name)")
            #expect(response.header("Connection") == "close", "\(name)")
            #expect(response.header("Content-Type") == "application/problem+json", "\(name)")
            // The request smuggled behind it is never answered.
            #expect(client.isClosedByPeer(), "\(name)")
        }
    }

    @Test func longRequestLine_is414_andHugeHeaders_are431() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let long = try server.client()
            defer { long.close() }
            try long.send(get("/" + String(repeating: "a", count: 9000)))
            #expect(try long.readResponse().status == 414)

            let huge = try server.client()
            defer { huge.close() }
            try huge.send(get("/healthz", headers: (0..<200).map { "X-Filler-\($0): \(String(repeating: "v", count: 100))" }))
            #expect(try huge.readResponse().status == 431)
        }
    }
}
