import HTTPCore
import Testing

/// Request-smuggling shapes and malformed messages: each must be refused with one precise error,
/// whatever way the bytes arrive.
@Suite struct HTTPRequestParserRefusalTests {
    // MARK: Framing (RFC 9112 §6)

    @Test func contentLengthAndTransferEncoding_areRefused() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            .badRequest("Content-Length and Transfer-Encoding both present"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n",
            .badRequest("Content-Length and Transfer-Encoding both present"))
    }

    @Test func differingContentLengths_areRefused() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            .badRequest("conflicting Content-Length values"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 50\r\n\r\nhello",
            .badRequest("conflicting Content-Length values"))
    }

    @Test(arguments: ["abc", "-1", "+5", "5 5", "0x10", "", "5,", ",5", "5;q=1", "1e3", "٣"])
    func nonNumericContentLength_isRefused(value: String) {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n",
            .badRequest("invalid Content-Length value"))
    }

    @Test func overflowingContentLength_isRefused() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            .badRequest("Content-Length value overflows"))
    }

    @Test func transferEncoding_withChunkedNotLast_isRefused() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
        // Without chunked at all the length cannot be known (§6.3 rule 4): 400, not 501.
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
    }

    @Test func transferEncoding_withChunkedTwice_isRefused() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            .badRequest("chunked must be the final transfer coding and appear once"))
    }

    @Test func transferEncoding_gzipBeforeChunked_isNotImplemented() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            .notImplemented("transfer coding \"gzip\" is not supported"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: X-Custom;level=\"1\"\r\nTransfer-Encoding: Chunked\r\n\r\n",
            .notImplemented("transfer coding \"x-custom\" is not supported"))
    }

    @Test(arguments: ["compress", "deflate", "identity", "br"])
    func transferEncoding_unknownCodings_areNotImplemented(coding: String) {
        let outcome = verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(coding), chunked\r\n\r\n")
        #expect(outcome.error?.status == 501)
    }

    @Test func transferEncoding_malformedOrEmpty_isRefused() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n",
            .badRequest("empty Transfer-Encoding"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;ext=1\r\n\r\n",
            .badRequest("the chunked transfer coding takes no parameters"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n",
            .badRequest("invalid Transfer-Encoding value"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked x\r\n\r\n",
            .badRequest("invalid Transfer-Encoding value"))
    }

    @Test func transferEncoding_emptyListElements_areIgnored() throws {
        let head = try #require(parseHead("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked ,\r\n\r\n0\r\n\r\n"))
        #expect(head.bodyLength == .chunked)
    }

    @Test func transferEncoding_inHTTP10_isRefused() {
        expectRefusal(
            "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            .badRequest("Transfer-Encoding is not allowed in HTTP/1.0 requests"))
    }

    // MARK: Field lines (RFC 9112 §5)

    @Test func obsFold_isRefused() {
        expectRefusal(
            "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n second\r\n\r\n",
            .badRequest("obs-fold is not allowed"))
        expectRefusal(
            "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n\tsecond\r\n\r\n",
            .badRequest("obs-fold is not allowed"))
    }

    @Test func whitespaceBeforeFirstField_isRefused() {
        expectRefusal(
            "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
            .badRequest("whitespace between the request line and the first header field"))
    }

    @Test func whitespaceBeforeColon_isRefused() {
        expectRefusal(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\nhello",
            .badRequest("whitespace before colon in field name"))
        expectRefusal(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n",
            .badRequest("whitespace before colon in field name"))
    }

    @Test func bareCR_inHeaderSection_isRefused() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", .badRequest("bare CR in header section"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A\r: b\r\n\r\n", .badRequest("bare CR in header section"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\r\n\r\n", .badRequest("bare CR in header section"))
    }

    @Test func bareCR_inRequestLine_isRefused() {
        expectRefusal("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("bare CR in request line"))
        expectRefusal("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("bare CR before the request line"))
    }

    @Test func bareLF_isRefused() {
        let bareLF = HTTPParseError.badRequest("bare LF line ending (CRLF is required)")
        expectRefusal("GET / HTTP/1.1\nHost: a\r\n\r\n", bareLF)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\n\r\n", bareLF)
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\n", bareLF)
        expectRefusal("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", bareLF)
        expectRefusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\na\r\n0\r\n\r\n", bareLF)
    }

    @Test func invalidFieldNames_areRefused() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", .badRequest("invalid character in field name"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n", .badRequest("invalid character in field name"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", .badRequest("empty field name"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .badRequest("field line has no colon"))
    }

    @Test func controlCharactersInFieldValues_areRefused() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", .badRequest("invalid character in field value"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}\r\n\r\n", .badRequest("invalid character in field value"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: \u{1B}[31m\r\n\r\n", .badRequest("invalid character in field value"))
    }

    // MARK: Host (RFC 9112 §3.2)

    @Test func http11WithoutHost_isRefused() {
        expectRefusal("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .badRequest("missing Host header field"))
    }

    @Test func twoHosts_areRefusedInAnyVersion() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .badRequest("more than one Host header field"))
        expectRefusal("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", .badRequest("more than one Host header field"))
    }

    @Test func invalidHostValue_isRefused() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .badRequest("invalid Host header field value"))
        expectRefusal("GET / HTTP/1.1\r\nHost: user@evil\r\n\r\n", .badRequest("invalid Host header field value"))
        expectRefusal("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .badRequest("invalid Host header field value"))
    }

    // MARK: Request line (RFC 9112 §3)

    @Test func http20_isVersionNotSupported() {
        expectRefusal("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .versionNotSupported)
        expectRefusal("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .versionNotSupported)
        expectRefusal("GET / HTTP/0.9\r\n\r\n", .versionNotSupported)
    }

    @Test(arguments: ["HTTP/1.1x", "http/1.1", "HTTP/11", "HTTP/1", "HTTP/1.a", "HTTPS/1.1", "HTTP/10.0"])
    func malformedVersion_isRefused(version: String) {
        expectRefusal("GET / \(version)\r\nHost: a\r\n\r\n", .badRequest("malformed HTTP version"))
    }

    @Test func requestLineSpacing_mustBeSingleSpaces() {
        let reason = HTTPParseError.badRequest("request line parts must be separated by single spaces")
        expectRefusal("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", reason)
        expectRefusal("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", reason)
        expectRefusal("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in method"))
        expectRefusal(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("request line starts with whitespace"))
        expectRefusal("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .badRequest("malformed HTTP version"))
    }

    @Test func incompleteRequestLines_areRefused() {
        expectRefusal("GET\r\n\r\n", .badRequest("request line has no request-target"))
        expectRefusal("GET \r\n\r\n", .badRequest("request line has no request-target"))
        expectRefusal("GET /\r\n\r\n", .badRequest("request line has no HTTP version"))
        expectRefusal("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in method"))
        expectRefusal("{} / HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid method token"))
    }

    @Test func requestTarget_withForbiddenBytes_isRefused() {
        expectRefusal("GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in request-target"))
        expectRefusal("GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in request-target"))
        expectRefusal("GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid character in request-target"))
        expectRefusal("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("fragment in request-target"))
    }

    @Test func requestTarget_formMustMatchMethod() {
        expectRefusal("GET * HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("asterisk-form request-target is only allowed with OPTIONS"))
        let connect = HTTPParseError.badRequest("CONNECT requires an authority-form request-target (host:port)")
        expectRefusal("CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", connect)
        expectRefusal("CONNECT host HTTP/1.1\r\nHost: a\r\n\r\n", connect)
        expectRefusal("CONNECT user@host:443 HTTP/1.1\r\nHost: a\r\n\r\n", connect)
        expectRefusal("GET example.com HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid request-target"))
        expectRefusal("GET 1http://x/ HTTP/1.1\r\nHost: a\r\n\r\n", .badRequest("invalid request-target"))
    }

    // MARK: End of input (RFC 9112 §8)

    @Test func eofMidBody_isRefusedAtFinish() {
        let outcome = verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello")
        #expect(outcome.error == .badRequest("connection closed before the request body was complete"))
        #expect(outcome.body == Array("hello".utf8))
        #expect(outcome.parts.count == 2)
    }

    @Test func eofMidChunkedBody_isRefusedAtFinish() {
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
            .badRequest("connection closed before the request body was complete"))
        expectRefusal(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n",
            .badRequest("connection closed before the request body was complete"))
    }

    @Test func eofMidHead_isRefusedAtFinish() {
        expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n", .badRequest("connection closed before the request head was complete"))
        expectRefusal("GE", .badRequest("connection closed before the request head was complete"))
    }

    // MARK: Poisoning

    @Test func afterAnError_everyCallThrowsTheSameError() throws {
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
