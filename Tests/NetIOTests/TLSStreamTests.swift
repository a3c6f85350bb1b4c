import COpenSSL
import Glibc
import NetIO
import TestSupport
import Testing

@Suite("TLSStream")
struct TLSStreamTests {
    let certificates: TestCertificates
    let serverContext: TLSContext

    init() throws {
        certificates = try TestCertificates.shared()
        serverContext = try TLSContext.server(certificates.serverConfiguration())
    }

    @Test func handshake_negotiatesTLS13_andExchangesDataBothWays() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(!pair.server.isHandshakeComplete)
        #expect(pair.server.protocolVersion == nil)

        let outcome = pair.handshake()
        #expect(outcome.server == .bytes(0))
        #expect(outcome.client == .bytes(0))
        #expect(pair.server.isHandshakeComplete && pair.client.isHandshakeComplete)
        #expect(pair.server.protocolVersion == "TLSv1.3")
        #expect(pair.client.protocolVersion == "TLSv1.3")
        #expect(pair.server.handshake() == .bytes(0))  // idempotent once complete
        #expect(pair.client.peerCertificateSubject == TestCertificates.serverSubject)
        #expect(pair.server.peerCertificateSubject == nil)  // no mTLS here

        let request = Array("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        #expect(pair.transfer(request, from: pair.client, to: pair.server).received == request)
        let response = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(pair.transfer(response, from: pair.server, to: pair.client).received == response)
    }

    @Test func handshake_tls12WhenClientOffersNoMore() throws {
        let client = try TLSContext.client(
            trustedCAPath: certificates.caCertificatePath, maximumProtocolVersion: .tls1_2)
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: client)
        let outcome = pair.handshake()
        #expect(outcome.server == .bytes(0) && outcome.client == .bytes(0))
        #expect(pair.server.protocolVersion == "TLSv1.2")
        let bytes = Array("over TLS 1.2".utf8)
        #expect(pair.transfer(bytes, from: pair.client, to: pair.server).received == bytes)
    }

    @Test func handshake_legacyTLS11Client_isRefused() throws {
        let legacy = try TLSContext.client(
            trustedCAPath: certificates.caCertificatePath,
            minimumProtocolVersion: .tls1_0, maximumProtocolVersion: .tls1_1)
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: legacy)
        let outcome = pair.handshake()
        let serverReason = try #require(outcome.server.failureReason)
        #expect(serverReason.contains("unsupported protocol"), "\(serverReason)")
        #expect(outcome.client.failureReason != nil)
        #expect(outcome.elapsed < .seconds(2))
    }

    @Test func plainHTTPToTLSPort_failsWithoutHanging() throws {
        let (clientFD, serverFD) = try TestSocket.connectedLoopbackPair()
        defer { close(clientFD); close(serverFD) }
        let server = try TLSStream(context: serverContext, fileDescriptor: serverFD, role: .server)
        #expect(server.handshake() == .wantRead)  // nothing sent yet: never blocks

        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        #expect(request.withUnsafeBytes { send(clientFD, $0.baseAddress, $0.count, 0) } == request.count)
        var result = TLSResult.wantRead
        let start = ContinuousClock.now
        while result == .wantRead && ContinuousClock.now - start < .seconds(2) {
            TLSTestPair.waitForAny([(serverFD, result)], milliseconds: 50)
            result = server.handshake()
        }
        let reason = try #require(result.failureReason)
        #expect(reason.contains("http request") || reason.contains("wrong version number"), "\(reason)")
        // Once failed, every call reports the failure without touching the socket again.
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(buffer.withUnsafeMutableBytes { server.read(into: $0) } == .failed(reason))
        server.shutdown()  // must be a harmless no-op after a fatal error
    }

    @Test func client_rejectsUntrustedServer() throws {
        let client = try TLSContext.client(trustedCAPath: certificates.rogueCACertificatePath)
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: client)
        let outcome = pair.handshake()
        let reason = try #require(outcome.client.failureReason)
        #expect(reason.contains("certificate verify failed"), "\(reason)")
        #expect(pair.server.isHandshakeComplete == false)
    }

    @Test func client_verifiesServerName() throws {
        let wrongName = try TLSTestPair(
            serverContext: serverContext, clientContext: certificates.makeClientContext(),
            serverName: "example.com")
        let reason = try #require(wrongName.handshake().client.failureReason)
        #expect(reason.contains("hostname mismatch"), "\(reason)")

        // An IP literal is checked against the IP subjectAltName (and not sent as SNI).
        let byIP = try TLSTestPair(
            serverContext: serverContext, clientContext: certificates.makeClientContext(),
            serverName: "127.0.0.1")
        #expect(byIP.handshake().client == .bytes(0))
        let wrongIP = try TLSTestPair(
            serverContext: serverContext, clientContext: certificates.makeClientContext(),
            serverName: "127.0.0.2")
        #expect(wrongIP.handshake().client.failureReason?.contains("IP address mismatch") == true)
    }

    @Test func read_withSmallBuffer_reportsBufferedPlaintext() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        let record = [UInt8](repeating: 0x5a, count: 8_000)  // one TLS record
        let written = record.withUnsafeBytes { pair.client.write($0) }
        #expect(written == .bytes(record.count))
        TLSTestPair.waitForAny([(pair.serverFD, .wantRead)], milliseconds: 1_000)

        var small = [UInt8](repeating: 0, count: 100)
        var total = 0
        var first = small.withUnsafeMutableBytes { pair.server.read(into: $0) }
        while first == .wantRead {  // the record may still be in flight on loopback
            TLSTestPair.waitForAny([(pair.serverFD, .wantRead)], milliseconds: 50)
            first = small.withUnsafeMutableBytes { pair.server.read(into: $0) }
        }
        #expect(first == .bytes(100))
        total += 100
        // The rest of the record is decrypted and inside OpenSSL: epoll would not report it.
        #expect(pair.server.hasBufferedPlaintext)
        while pair.server.hasBufferedPlaintext {
            guard case .bytes(let count) = small.withUnsafeMutableBytes({ pair.server.read(into: $0) }) else {
                Issue.record("expected buffered bytes")
                return
            }
            total += count
        }
        #expect(total == record.count)
        #expect(small.withUnsafeMutableBytes { pair.server.read(into: $0) } == .wantRead)
    }

    @Test func write_whenSocketIsFull_returnsWantWrite_andRetrySucceeds() throws {
        let pair = try TLSTestPair(
            serverContext: serverContext, clientContext: certificates.makeClientContext(),
            transport: .unixSocketPair)
        #expect(pair.handshake().server == .bytes(0))
        // A small send buffer makes the socket fill after a few records instead of megabytes.
        var small: Int32 = 32 * 1024
        setsockopt(pair.serverFD, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var payload = [UInt8](repeating: 0, count: 1 << 20)
        for index in stride(from: 0, to: payload.count, by: 4096) { payload[index] = UInt8(truncatingIfNeeded: index >> 12) }

        // Nobody reads on the client side, so the socket fills up and write must not block.
        var written = 0
        var stalled = TLSResult.bytes(0)
        while written < payload.count {
            let result = payload.withUnsafeBytes { pair.server.write(UnsafeRawBufferPointer(rebasing: $0[written...])) }
            guard case .bytes(let count) = result else {
                stalled = result
                break
            }
            written += count
        }
        #expect(stalled == .wantWrite)
        #expect(written < payload.count)

        // Drain the client, then retry with the same remaining bytes from a different address
        // (a fresh Array), which SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER allows.
        let remaining = Array(payload[written...])
        payload = []
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var sent = 0
        let start = ContinuousClock.now
        while received.count < written + remaining.count && ContinuousClock.now - start < .seconds(10) {
            if sent < remaining.count {
                let result = remaining.withUnsafeBytes { pair.server.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
                switch result {
                case .bytes(let count): sent += count
                case .wantWrite, .wantRead: break
                case .closed, .failed:
                    Issue.record("write retry failed: \(result)")
                    return
                }
            }
            var readSomething = false
            while case .bytes(let count) = buffer.withUnsafeMutableBytes({ pair.client.read(into: $0) }) {
                received += buffer[0..<count]
                readSomething = true
            }
            if !readSomething { TLSTestPair.waitForAny([(pair.clientFD, .wantRead)], milliseconds: 20) }
        }
        #expect(sent == remaining.count)
        #expect(received.count == written + remaining.count)
        #expect(received.suffix(remaining.count).elementsEqual(remaining))
    }

    @Test func closeNotify_isReportedAsClosed() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        pair.client.shutdown()
        pair.client.shutdown()  // idempotent
        #expect(pair.readOutcome(pair.server) == .closed)
        pair.server.shutdown()  // reply close_notify: allowed after a clean close
        #expect(pair.readOutcome(pair.client) == .closed)
    }

    @Test func tcpEOFWithoutCloseNotify_isReportedAsClosed() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        Glibc.shutdown(pair.clientFD, Int32(SHUT_WR))  // FIN, no close_notify
        #expect(pair.readOutcome(pair.server) == .closed)
    }

    @Test func writeOnBrokenConnection_failsWithoutSIGPIPE() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        // After SHUT_WR every send fails with EPIPE. Plain write() (what OpenSSL's own socket
        // BIO uses) would also raise SIGPIPE and kill this test process, which does not
        // ignore the signal; the stream's BIO sends with MSG_NOSIGNAL.
        Glibc.shutdown(pair.serverFD, Int32(SHUT_WR))
        let chunk = [UInt8](repeating: 1, count: 4_096)
        let result = chunk.withUnsafeBytes { pair.server.write($0) }
        let reason = try #require(result.failureReason)
        #expect(reason.contains("Broken pipe"), "\(reason)")
    }

    @Test func writeAfterPeerReset_fails() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)  // close() sends RST
        setsockopt(pair.clientFD, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        pair.closeClientSocket()
        TLSTestPair.waitForAny([(pair.serverFD, .wantRead)], milliseconds: 1_000)
        let chunk = [UInt8](repeating: 1, count: 4_096)
        var result = TLSResult.bytes(0)
        for _ in 0..<100 {
            result = chunk.withUnsafeBytes { pair.server.write($0) }
            if case .failed = result { break }
        }
        let reason = try #require(result.failureReason)
        #expect(reason.contains("Connection reset") || reason.contains("Broken pipe"), "\(reason)")
    }

    @Test func eofDuringHandshake_doesNotHang() throws {
        let (clientFD, serverFD) = try TestSocket.connectedLoopbackPair()
        defer { close(serverFD) }
        let server = try TLSStream(context: serverContext, fileDescriptor: serverFD, role: .server)
        close(clientFD)  // a port scanner or health check that connects and leaves
        TLSTestPair.waitForAny([(serverFD, .wantRead)], milliseconds: 1_000)
        let result = server.handshake()
        #expect(result == .closed || result.failureReason != nil, "\(result)")
    }

    @Test func staleOpenSSLError_doesNotLeakIntoNextCall() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        // Leave an unrelated error in this thread's OpenSSL queue, as another connection might.
        #expect(BIO_new_file("/nonexistent/mwrasp/stale", "r") == nil)
        #expect(ERR_peek_error() != 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(buffer.withUnsafeMutableBytes { pair.server.read(into: $0) } == .wantRead)
        #expect(ERR_peek_error() == 0)
    }

    @Test func emptyBuffers_areNoOps() throws {
        let pair = try TLSTestPair(serverContext: serverContext, clientContext: certificates.makeClientContext())
        #expect(pair.handshake().server == .bytes(0))
        #expect(pair.server.read(into: UnsafeMutableRawBufferPointer(start: nil, count: 0)) == .bytes(0))
        #expect(pair.server.write(UnsafeRawBufferPointer(start: nil, count: 0)) == .bytes(0))
    }
}
