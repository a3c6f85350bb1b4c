import HTTPCore
import Testing

/// Request-smuggling shapes and malformed messages: each must be refused with one precise error,
/// whatever way the bytes arrive.
@Suite struct HTTPRequestParserRefusalTests {
    // MARK: Framing (RFC 9112 §6)

    @Test func contentLengthAndTransferEncoding_areRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            .badRequest("Content-Length and Transfer-Encoding both present"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n",
            .badRequest("Content-Length and Transfer-Encoding both present"))
    }

    @Test func differingContentLengths_areRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            .badRequest("conflicting Content-Length values"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 50\r\n\r\nhello",
            .badRequest("conflicting Content-Length values"))
    }

    @Test(arguments: ["abc", "-1", "+5", "5 5", "0x10", "", "5,", ",5", "5;q=1", "1e3", "٣"])
    func nonNumericContentLength_isRefused(value: String) async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n",
            .badRequest("invalid Content-Length value"))
    }

    @Test func overflowingContentLength_isRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            .badRequest("Content-Length value overflows"))
    }

    @Test func transferEncoding_withChunkedNotLast_isRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
        // Without chunked at all the length cannot be known (§6.3 rule 4): 400, not 501.
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
    }

    @Test func transferEncoding_withChunkedTwice_isRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
    }

    @Test func transferEncoding_gzipBeforeChunked_isNotImplemented() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            .notImplemented("transfer coding \"gzip\" is not supported"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: X-Custom;level=\"1\"\r\nTransfer-Encoding: Chunked\r\n\r\n",
            .notImplemented("transfer coding \"x-custom\" is not supported"))
    }

    @Test(arguments: ["compress", "deflate", "identity", "br"])
    func transferEncoding_unknownCodings_areNotImplemented(coding: String) async {
        let outcome = await verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(coding), chunked\r\n\r\n")
        #expect(outcome.error?.status == 501)
    }

    @Test func transferEncoding_malformedOrEmpty_isRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n",
            .badRequest("empty Transfer-Encoding"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;ext=1\r\n\r\n",
            .badRequest("the chunked transfer coding takes no parameters"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n",
            .badRequest("invalid Transfer-Encoding value"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked x\r\n\r\n",
            .badRequest("invalid Transfer-Encoding value"))
    }

    @Test func transferEncoding_emptyListElements_areIgnored() async throws {
        let head = try #require(await parseHead("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked ,\r\n\r\n0\r\n\r\n"))
        #expect(head.bodyLength == .chunked)
    }

    @Test func transferEncoding_inHTTP10_isRefused() async {
        await expectRefusal(
            "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            .badRequest("Transfer-Encoding is not allowed in HTTP/1.0 requests"))
    }

    // MARK: Field lines (RFC 9112 §5)

    @Test func obsFold_isRefused() async {
        await expectRefusal(
            "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n second\r\n\r\n",
            .badRequest("obs-fold is not allowed"))
        await expectRefusal(
            "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n\tsecond\r\n\r\n",
            .badRequest("obs-fold is not allowed"))
    }

    @Test func whitespaceBeforeFirstField_isRefused() async {
        await expectRefusal(
            "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
            .badRequest("whitespace between the request line and the first header field"))
    }

    @Test func whitespaceBeforeColon_isRefused() async {
        await expectRefusal(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\nhello",
            .badRequest("whitespace before colon in field name"))
        await expectRefusal(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n",
            .badRequest("whitespace before colon in field name"))
    }

    @Test func bareCR_inHeaderSection_isRefused() async {
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", .badRequest("bare CR in header section"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A\r: b\r\n\r\n", .badRequest("bare CR in header section"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\r\n\r\n", .badRequest("bare CR in header section"))
    }

    @Test func bareCR_inRequestLine_isRefused() async {
        await expectRefusal("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("bare CR in request line"))
        await expectRefusal("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("bare CR before the request line"))
    }

    @Test func bareLF_isRefused() async {
        let bareLF = HTTPParseError.badRequest("bare LF line ending (CRLF is required)")
        await expectRefusal("GET / HTTP/1.1\nHost: a\r\n\r\n", bareLF)
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\n\r\n", bareLF)
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\n", bareLF)
        await expectRefusal("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", bareLF)
        await expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\na\r\n0\r\n\r\n", bareLF)
    }

    @Test func invalidFieldNames_areRefused() async {
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", .badRequest("invalid character in field name"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n", .badRequest("invalid character in field name"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", .badRequest("empty field name"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .badRequest("field line has no colon"))
    }

    @Test func controlCharactersInFieldValues_areRefused() async {
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", .badRequest("invalid character in field value"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}\r\n\r\n", .badRequest("invalid character in field value"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: \u{1B}[31m\r\n\r\n", .badRequest("invalid character in field value"))
    }

    // MARK: Host (RFC 9112 §3.2)

    @Test func http11WithoutHost_isRefused() async {
        await expectRefusal("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .badRequest("missing Host header field"))
    }

    @Test func twoHosts_areRefusedInAnyVersion() async {
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .badRequest("more than one Host header field"))
        await expectRefusal("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", .badRequest("more than one Host header field"))
    }

    @Test func invalidHostValue_isRefused() async {
        await expectRefusal("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .badRequest("invalid Host header field value"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: user@evil\r\n\r\n", .badRequest("invalid Host header field value"))
        await expectRefusal("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .badRequest("invalid Host header field value"))
    }

    // MARK: Request line (RFC 9112 §3)

    @Test func http20_isVersionNotSupported() async {
        await expectRefusal("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .versionNotSupported)
        await expectRefusal("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .versionNotSupported)
        await expectRefusal("GET / HTTP/0.9\r\n\r\n", .versionNotSupported)
    }

    @Test(arguments: ["HTTP/1.1x", "http/1.1", "HTTP/11", "HTTP/1", "HTTP/1.a", "HTTPS/1.1", "HTTP/10.0"])
    func malformedVersion_isRefused(version: String) async {
        await expectRefusal("GET / \(version)\r\nHost: a\r\n\r\n", .badRequest("malformed HTTP version"))
    }

    @Test func requestLineSpacing_mustBeSingleSpaces() async {
        let reason = HTTPParseError.badRequest("request line parts must be separated by single spaces")
        await expectRefusal("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", reason)
        await expectRefusal("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", reason)
        await expectRefusal("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in method"))
        await expectRefusal(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("request line starts with whitespace"))
        await expectRefusal("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .badRequest("malformed HTTP version"))
    }

    @Test func incompleteRequestLines_areRefused() async {
        await expectRefusal("GET\r\n\r\n", .badRequest("request line has no request-target"))
        await expectRefusal("GET \r\n\r\n", .badRequest("request line has no request-target"))
        await expectRefusal("GET /\r\n\r\n", .badRequest("request line has no HTTP version"))
        await expectRefusal("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in method"))
        await expectRefusal("{} / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid method token"))
    }

    @Test func requestTarget_withForbiddenBytes_isRefused() async {
        await expectRefusal("GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in request-target"))
        await expectRefusal("GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in request-target"))
        await expectRefusal("GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in request-target"))
        await expectRefusal("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("fragment in request-target"))
    }

    @Test func requestTarget_formMustMatchMethod() async {
        await expectRefusal("GET * HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("asterisk-form request-target is only allowed with OPTIONS"))
        let connect = HTTPParseError.badRequest("CONNECT requires an authority-form request-target (host:port)")
        await expectRefusal("CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", connect)
        await expectRefusal("CONNECT host HTTP/1.1\r\nHost: a\r\n\r\n", connect)
        await expectRefusal("CONNECT user@host:443 HTTP/1.1\r\nHost: a\r\n\r\n", connect)
        await expectRefusal("GET example.com HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid request-target"))
        await expectRefusal("GET 1http://x/ HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid request-target"))
    }

    // MARK: End of input (RFC 9112 §8)

    @Test func eofMidBody_isRefusedAtFinish() async {
        let outcome = await verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello")
        #expect(outcome.error == .badRequest("connection closed before the request body was complete"))
        #expect(outcome.body == Array("hello".utf8))
        #expect(outcome.parts.count == 2)
    }

    @Test func eofMidChunkedBody_isRefusedAtFinish() async {
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
            .badRequest("connection closed before the request body was complete"))
        await expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n",
            .badRequest("connection closed before the request body was complete"))
    }

    @Test func eofMidHead_isRefusedAtFinish() async {
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n", .badRequest("connection closed before the request head was complete"))
        await expectRefusal("GE", .badRequest("connection closed before the request head was complete"))
    }

    // MARK: Poisoning

    @Test func afterAnError_everyCallThrowsTheSameError() async throws {
        var parser = HTTPRequestParser()
        parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n Host: b\r\n\r\nGET / HTTP/1.1\r\nHost: c\r\n\r\n".utf8))
        #expect(try parser.next() != nil)
        #expect(try parser.next() == .end)
        let error = HTTPParseError.badRequest("whitespace between the request line and the first header field")
        #expect(throws: error) { try parser.next() }
        #expect(throws: error) { try parser.next() }
        #expect(throws: error) { try parser.finish() }
        parser.feed(Array("GET / HTTP/1.1\r\nHost: d\r\n\r\n".utf8))
        #expect(throws: error) { try parser.next() }
        #expect(parser.bufferedByteCount == 0)
        #expect(!parser.isBetweenMessages)
    }
}
