import HTTPCore
import Testing

@Suite struct HTTPRequestParserChunkedTests {
    let chunkedHead = "POST /v1/ingest/bulk HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test func chunkedBody_decodesChunksIntoBodyThenEnd() async throws {
        let outcome = await verifyParse(chunkedHead + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n")
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(head.bodyLength == .chunked)
        #expect(outcome.parts == [.head(head), .body(Array("hello, world".utf8)), .end])
    }

    @Test func chunkedBody_withExtensionsAndTrailers_ignoresThem() async throws {
        let outcome = await verifyParse(
            chunkedHead
                + "5;name=value\r\nhello\r\n"
                + "6 ; a ; b = \"quoted; \\\"value\\\"\" ;c=d\r\n world\r\n"
                + "000;last\r\n"
                + "X-Checksum: abc123\r\nX-Other:\tv\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.body == Array("hello world".utf8))
        #expect(outcome.parts.last == .end)
        // Trailers are read but not merged into the head.
        #expect(outcome.heads.first?.headers.contains("X-Checksum") == false)
    }

    @Test func chunkedBody_hexSizesAreCaseInsensitive() async {
        let data = String(repeating: "x", count: 0x1A)
        let outcome = await verifyParse(chunkedHead + "1a\r\n\(data)\r\n001A\r\n\(data)\r\n0\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.body.count == 0x34)
    }

    @Test func chunkedBody_emptyBody_isJustTheLastChunk() async throws {
        let outcome = await verifyParse(chunkedHead + "0\r\n\r\n")
        let head = try #require(outcome.heads.first)
        #expect(outcome.parts == [.head(head), .end])
    }

    @Test func chunkedBody_rejectsInvalidChunkSize() async {
        await expectRefusal(chunkedHead + "zz\r\nhello\r\n0\r\n\r\n", .badRequest("invalid chunk size"))
        await expectRefusal(chunkedHead + "\r\nhello\r\n0\r\n\r\n", .badRequest("invalid chunk size"))
        await expectRefusal(chunkedHead + "-5\r\nhello\r\n0\r\n\r\n", .badRequest("invalid chunk size"))
        await expectRefusal(chunkedHead + "0x5\r\nhello\r\n0\r\n\r\n", .badRequest("invalid chunk extension"))
        await expectRefusal(chunkedHead + "5 \r\nhello\r\n0\r\n\r\n", .badRequest("invalid chunk extension"))
    }

    @Test func chunkedBody_rejectsOversizedChunkSize() async {
        await expectRefusal(
            chunkedHead + "00000000000000005\r\nhello\r\n0\r\n\r\n",
            .badRequest("chunk size has more than 16 hex digits"))
        await expectRefusal(
            chunkedHead + "10000000000000000\r\n",
            .badRequest("chunk size has more than 16 hex digits"))
        await expectRefusal(chunkedHead + "FFFFFFFFFFFFFFFF\r\n", .badRequest("chunk size overflows"))
        await expectRefusal(
            chunkedHead + "05\r\nhello\r\n003\r\nabc\r\n",
            .badRequest("chunk size has more than 2 hex digits"),
            limits: HTTPParserLimits(maxChunkSizeHexDigits: 2))
        let outcome = await verifyParse(chunkedHead + "0005\r\nhello\r\n0\r\n\r\n")
        #expect(outcome.error == nil)
    }

    @Test func chunkedBody_rejectsMalformedExtensions() async {
        let invalid = HTTPParseError.badRequest("invalid chunk extension")
        await expectRefusal(chunkedHead + "5;\r\nhello\r\n0\r\n\r\n", invalid)
        await expectRefusal(chunkedHead + "5;a=\r\nhello\r\n0\r\n\r\n", invalid)
        await expectRefusal(chunkedHead + "5;a=\"open\r\nhello\r\n0\r\n\r\n", invalid)
        await expectRefusal(chunkedHead + "5;a=b c\r\nhello\r\n0\r\n\r\n", invalid)
        await expectRefusal(chunkedHead + "5;a=b \r\nhello\r\n0\r\n\r\n", invalid)
        await expectRefusal(chunkedHead + "5,a\r\nhello\r\n0\r\n\r\n", invalid)
    }

    @Test func chunkedBody_rejectsOverlongChunkLine() async {
        let extensions = String(repeating: ";a=b", count: 1100)
        await expectRefusal(chunkedHead + "5\(extensions)\r\nhello\r\n0\r\n\r\n", .badRequest("chunk-size line is longer than 4096 bytes"))
    }

    @Test func chunkedBody_rejectsDataNotFollowedByCRLF() async throws {
        let outcome = await verifyParse(chunkedHead + "5\r\nhello world\r\n0\r\n\r\n")
        #expect(outcome.error == .badRequest("chunk data is not followed by CRLF"))
        #expect(outcome.body == Array("hello".utf8))
        await expectRefusal(chunkedHead + "5\r\nhello\rX0\r\n\r\n", .badRequest("chunk data is not followed by CRLF"))
        await expectRefusal(chunkedHead + "5\r\nhello\n0\r\n\r\n", .badRequest("chunk data is not followed by CRLF"))
    }

    @Test func chunkedBody_rejectsBareCRInSizeLine() async {
        await expectRefusal(chunkedHead + "5\r;x\r\nhello\r\n0\r\n\r\n", .badRequest("bare CR in chunk-size line"))
    }

    @Test func chunkedBody_trailersAreValidatedLikeHeaders() async {
        await expectRefusal(chunkedHead + "0\r\nX-A: 1\r\n folded\r\n\r\n", .badRequest("obs-fold is not allowed"))
        await expectRefusal(chunkedHead + "0\r\nX-A : 1\r\n\r\n", .badRequest("whitespace before colon in field name"))
        await expectRefusal(chunkedHead + "0\r\nX-A: 1\r2\r\n\r\n", .badRequest("bare CR in header section"))
        await expectRefusal(chunkedHead + "0\r\nX-A: \u{0}\r\n\r\n", .badRequest("invalid character in field value"))
    }

    @Test func chunkedBody_trailersCountAgainstHeaderLimits() async {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let limits = HTTPParserLimits(maxHeaderCount: 4)
        let fits = await verifyParse(Array((head + "0\r\nA: 1\r\nB: 2\r\n\r\n").utf8), limits: limits)
        #expect(fits.error == nil)
        await expectRefusal(head + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", .headerFieldsTooLarge, limits: limits)
        // The head's section takes 39 bytes of the 64-byte budget, leaving 25 for the trailers.
        let small = HTTPParserLimits(maxHeaderBytes: 64)
        #expect(await verifyParse(Array((head + "0\r\nX-Trailer: 1234567890\r\n\r\n").utf8), limits: small).error == nil)
        await expectRefusal(head + "0\r\nX-Trailer: 12345678901\r\n\r\n", .headerFieldsTooLarge, limits: small)
    }

    @Test func chunkedBody_overLimit_isRefusedAtTheCrossingSizeLine() async {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        let outcome = await verifyParse(Array((chunkedHead + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n").utf8), limits: limits)
        #expect(outcome.error == .payloadTooLarge)
        #expect(outcome.body == Array("12345678".utf8))
        // Exactly at the limit is fine.
        let exact = await verifyParse(Array((chunkedHead + "8\r\n12345678\r\n2\r\n90\r\n0\r\n\r\n").utf8), limits: limits)
        #expect(exact.error == nil)
        #expect(exact.body.count == 10)
        // A huge declared chunk is refused before any of its data arrives.
        await expectRefusal(chunkedHead + "7FFFFFFFFFFFFFFF\r\n", .payloadTooLarge)
    }

    @Test func chunkedBody_isEmittedAsBytesArrive() async throws {
        var parser = HTTPRequestParser()
        parser.feed(Array((chunkedHead + "a\r\n0123").utf8))
        _ = try parser.next()
        #expect(try parser.next() == .body(Array("0123".utf8)))
        #expect(try parser.next() == nil)
        parser.feed(Array("456789\r".utf8))
        #expect(try parser.next() == .body(Array("456789".utf8)))
        #expect(try parser.next() == nil)
        parser.feed(Array("\n0\r\n\r\n".utf8))
        #expect(try parser.next() == .end)
        #expect(parser.isBetweenMessages)
    }
}
