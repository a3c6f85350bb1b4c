import Foundation
import NetIO
import TestSupport
import Testing

@Suite struct LimitsAndTimeoutsTests {
    @Test func trickledHeaders_get408AndClose_afterTheHeaderTimeout() async throws {
        let server = try TestServer.start { $0.timeouts.header = .milliseconds(600) }
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("GET /healthz HTTP/1.1\r\nHo")
            let response = try client.readResponse(timeout: .seconds(5))
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByPeer())
        }
    }

    @Test func stalledBody_gets408() async throws {
        let server = try TestServer.start { $0.timeouts.body = .milliseconds(600) }
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try client.readResponse(timeout: .seconds(5)).status == 408)
        }
    }

    @Test func idleKeepAlive_isClosedSilently_afterTheIdleTimeout() async throws {
        let server = try TestServer.start { $0.timeouts.idle = .milliseconds(500) }
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send(get("/healthz"))
            #expect(try client.readResponse().status == 200)
            #expect(client.isClosedByPeer(timeout: .seconds(5)))
            #expect(try client.readUntilClosed().isEmpty)
        }
    }

    @Test func bodyOverTheLimit_gets413_beforeTheBodyIsSent() async throws {
        let server = try TestServer.start { $0.limits.maxBodyBytes = 1024 }
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            // Only the head: the answer must not wait for 100,000 body bytes.
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Content-Type") == "application/problem+json")
        }
    }

    @Test func bodyAtTheLimit_isAccepted() async throws {
        let server = try TestServer.start { $0.limits.maxBodyBytes = 1024 }
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + String(repeating: "b", count: 1024))
            #expect(try client.readResponse().header("X-Body-Length") == "1024")
        }
    }

    @Test func connectionLimit_refusesNewConnectionsWith503_andKeepsExistingOnes() async throws {
        let server = try TestServer.start { $0.maxConnections = 2 }
        defer { server.stop() }
        try await BlockingIO.run {
            let first = try server.client()
            let second = try server.client()
            defer { first.close(); second.close() }
            try first.send(get("/healthz"))
            try second.send(get("/healthz"))
            #expect(try first.readResponse().status == 200)
            #expect(try second.readResponse().status == 200)

            let third = try server.client()
            defer { third.close() }
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(third.isClosedByPeer())

            try first.send(get("/healthz"))
            #expect(try first.readResponse().status == 200)
        }
    }

    @Test func gzipRequestBody_isInflated_andLargeResponsesAreGzipped() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            let original = Array(String(repeating: "alert ", count: 500).utf8)
            let compressed = Gzip.compress(original)
            try client.send(Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(compressed.count)\r\n\r\n".utf8) + compressed)
            let echoed = try client.readResponse()
            #expect(echoed.status == 200)
            #expect(echoed.header("X-Body-Length") == String(original.count))

            try client.send(get("/big", headers: ["Accept-Encoding: gzip"]))
            let big = try client.readResponse()
            #expect(big.header("Content-Encoding") == "gzip")
            #expect(big.header("Vary") == "Accept-Encoding")
            let inflated = try Gzip.decompress(big.body, maxOutputBytes: 1 << 20)
            #expect(String(decoding: inflated, as: UTF8.self).hasPrefix("MWRASP compresses"))

            try client.send(get("/big"))
            #expect(try client.readResponse().header("Content-Encoding") == nil)
        }
    }

    @Test func zipBomb_gets413() async throws {
        let server = try TestServer.start { $0.limits.maxBodyBytes = 1 << 20 }
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            let bomb = Gzip.compress([UInt8](repeating: 0, count: 64 << 20))
            #expect(bomb.count < 1 << 20)
            try client.send(Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\n\r\n".utf8) + bomb)
            #expect(try client.readResponse(timeout: .seconds(10)).status == 413)
        }
    }
}

@Suite struct BackPressureTests {
    @Test func clientThatDoesNotRead_stopsBeingServed_untilItReadsAgain() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        try await BlockingIO.run {
            let client = try server.client()
            defer { client.close() }
            // 1,000 pipelined requests whose answers total 64 MiB, and no reading.
            let requests = String(repeating: get("/counted"), count: 1000)
            try client.send(requests)
            Thread.sleep(forTimeInterval: 1.0)
            let servedWhileStalled = server.countedRequests.count
            // Socket buffers hold a few MiB; the server stops at its 1 MiB high-water mark
            // instead of producing all 64 MiB in memory.
            #expect(servedWhileStalled < 300, "served \(servedWhileStalled) requests for a client that reads nothing")
            // Other clients are unaffected meanwhile.
            let other = try server.client()
            defer { other.close() }
            try other.send(get("/healthz"))
            #expect(try other.readResponse().status == 200)
            // Once the client reads, every request is answered, in order.
            for _ in 0..<1000 {
                let response = try client.readResponse(timeout: .seconds(10))
                #expect(response.body.count == 64 * 1024)
            }
            #expect(server.countedRequests.count == 1000)
        }
    }
}
