import Foundation
import NetIO
import TestSupport
import Testing

/// Ingestion through the real binary and real sockets: bodies as SIEM forwarders send them.
@Suite struct IngestOverTheWireTests {
    @Test(.enabled(if: ServerProcess.isAvailable))
    func gzipEncodedChunkedBulkBody_isInflatedAndStored() async throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-wire")
        let server = try ServerProcess(dataDirectory: directory)
        defer { server.stop() }
        let lines = (0..<500).map { #"{"title":"wire \#($0)","severity":"medium","src_ip":"192.0.2.\#($0 % 200)"}"# }
        let compressed = Gzip.compress(Array((lines.joined(separator: "\n") + "\n").utf8))
        // Chunked framing in uneven pieces, as a streaming forwarder sends it.
        var body: [UInt8] = []
        var offset = 0
        while offset < compressed.count {
            let size = min(777, compressed.count - offset)
            body += Array(String(size, radix: 16).utf8) + [13, 10] + compressed[offset..<offset + size] + [13, 10]
            offset += size
        }
        body += Array("0\r\n\r\n".utf8)
        let request = Array(("POST /v1/events/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.adminToken)\r\n"
            + "Content-Type: application/x-ndjson\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n").utf8) + body
        let response = try await BlockingIO.run { () -> TestResponse in
            let client = try BlockingTestClient(port: server.port)
            defer { client.close() }
            try client.send(request)
            return try client.readResponse(timeout: .seconds(10))
        }
        #expect(response.status == 200)
        #expect(response.bodyText.hasPrefix(#"{"accepted":500,"rejected":[]"#))
        let ids = try await BlockingIO.run { try server.allEventIDs() }
        #expect(ids.count == 500)
    }

    @Test(.enabled(if: ServerProcess.isAvailable))
    func malformedAdminToken_stopsStartupWithAReason() throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-badtoken")
        #expect(throws: (any Error).self) {
            _ = try ServerProcess(dataDirectory: directory, adminToken: "too-short")
        }
    }
}
