import HTTPCore
import Testing

@Suite struct HTTPResponseEncoderTests {
    @Test func encodeHead_writesStatusLineFieldsAndBlankLine() {
        var buffer: [UInt8] = []
        let head = HTTPResponseHead(status: .ok, headers: ["Content-Length": "2", "X-Request-Id": "r-1"])
        HTTPResponseEncoder.encodeHead(head, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: r-1\r\n\r\n")
    }

    @Test func encodeHead_appendsToExistingBytes() {
        var buffer = Array("prefix".utf8)
        HTTPResponseEncoder.encodeHead(HTTPResponseHead(status: .noContent), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefixHTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func encodeHead_usesVersionAndCustomReason() {
        var buffer: [UInt8] = []
        let head = HTTPResponseHead(status: HTTPResponseStatus(code: 299, reasonPhrase: "Fine"), version: .http1_0)
        HTTPResponseEncoder.encodeHead(head, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "HTTP/1.0 299 Fine\r\n\r\n")
    }

    @Test func encodeHead_neutralisesResponseSplitting() {
        var buffer: [UInt8] = []
        let head = HTTPResponseHead(
            status: HTTPResponseStatus(code: 400, reasonPhrase: "Bad\r\nX: y"),
            headers: ["Location": "/a\r\nSet-Cookie: evil=1", "X\nY": "z\u{0}"])
        HTTPResponseEncoder.encodeHead(head, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "HTTP/1.1 400 Bad  X: y\r\nLocation: /a  Set-Cookie: evil=1\r\nX Y: z \r\n\r\n")
    }

    @Test func encodeHead_keepsUTF8Values() {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.encodeHead(HTTPResponseHead(status: .ok, headers: ["X-Name": "café"]), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "HTTP/1.1 200 OK\r\nX-Name: café\r\n\r\n")
    }

    @Test func encodeHeadStart_andFieldHelpers_composeTheSameHead() {
        let head = HTTPResponseHead(status: .created, headers: ["Location": "/v1/cases/7"])
        var composed: [UInt8] = []
        HTTPResponseEncoder.encodeHeadStart(head, into: &composed)
        HTTPResponseEncoder.encodeContentLength(1234, into: &composed)
        HTTPResponseEncoder.encodeField(name: "X-Request-Id", value: "r\n2", into: &composed)
        HTTPResponseEncoder.encodeHeadEnd(into: &composed)
        #expect(String(decoding: composed, as: UTF8.self)
            == "HTTP/1.1 201 Created\r\nLocation: /v1/cases/7\r\nContent-Length: 1234\r\nX-Request-Id: r 2\r\n\r\n")
    }

    @Test func encodeContentLength_writesDecimalDigits() {
        for length in [0, 7, 10, 99, 100, 65_536, 10_485_760, Int.max] {
            var buffer: [UInt8] = []
            HTTPResponseEncoder.encodeContentLength(length, into: &buffer)
            #expect(String(decoding: buffer, as: UTF8.self) == "Content-Length: \(length)\r\n")
        }
    }

    @Test func encodeChunk_writesHexSizeDataAndCRLF() {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.encodeChunk(Array("hello".utf8), into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "5\r\nhello\r\n")
        buffer = []
        HTTPResponseEncoder.encodeChunk([UInt8](repeating: 0x61, count: 255), into: &buffer)
        #expect(buffer.prefix(5) == ArraySlice("ff\r\na".utf8))
        #expect(buffer.count == 2 + 2 + 255 + 2)
        buffer = []
        HTTPResponseEncoder.encodeChunk([UInt8](repeating: 0x61, count: 0x1000).lazy.map { $0 }, into: &buffer)
        #expect(buffer.prefix(6) == ArraySlice("1000\r\n".utf8))
    }

    @Test func encodeChunk_emptyInput_appendsNothing() {
        var buffer = Array("x".utf8)
        HTTPResponseEncoder.encodeChunk([UInt8](), into: &buffer)
        #expect(buffer == Array("x".utf8))
    }

    @Test func encodeLastChunk_writesZeroChunkAndEmptyTrailers() {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.encodeLastChunk(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "0\r\n\r\n")
    }

    @Test func encodedChunks_parseBackThroughTheRequestParser() {
        var wire = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let payload = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        HTTPResponseEncoder.encodeChunk(payload[..<17], into: &wire)
        HTTPResponseEncoder.encodeChunk(payload[17...], into: &wire)
        HTTPResponseEncoder.encodeLastChunk(into: &wire)
        let (outcome, problems) = ParseVerifier.run([wire[...]])
        #expect(problems.isEmpty)
        #expect(outcome.error == nil)
        #expect(outcome.body == payload)
    }
}
