import HTTPCore
import Testing

@Suite struct HTTPRequestParserLimitsTests {
    @Test func requestLineOver8KiB_isURITooLong() async {
        let target = "/" + String(repeating: "a", count: 8200)
        await expectRefusal("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n", .uriTooLong)
    }

    @Test func requestLineOver8KiB_isRefusedBeforeItsCRLFArrives() async {
        let target = "/" + String(repeating: "a", count: 9000)
        await expectRefusal("GET \(target)", .uriTooLong)
    }

    @Test func requestLine_exactlyAtTheLimit_isAccepted() async {
        let limits = HTTPParserLimits(maxRequestLineBytes: 32)
        let line = "GET /" + String(repeating: "a", count: 32 - 14) + " HTTP/1.1"
        #expect(line.utf8.count == 32)
        let outcome = await verifyParse(Array("\(line)\r\nHost: a\r\n\r\n".utf8), limits: limits)
        #expect(outcome.error == nil)
        await expectRefusal("GET /a\(line.dropFirst(5))\r\nHost: a\r\n\r\n", .uriTooLong, limits: limits)
    }

    @Test func headerSectionOf17KiB_isHeaderFieldsTooLarge() async {
        let fields = (0..<17).map { "X-Pad-\($0): \(String(repeating: "v", count: 1000))\r\n" }.joined()
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n", .headerFieldsTooLarge)
    }

    @Test func headerSectionOverLimit_isRefusedBeforeTheHeadEnds() async {
        // One endless field line: refused once it passes the budget, long before any CRLF.
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "v", count: 17 * 1024))", .headerFieldsTooLarge)
    }

    @Test func headerSection_exactlyAtTheLimit_isAccepted() async {
        // "Host: a\r\n" (9) + "X: vvvv\r\n" (9) + final CRLF (2) = 20 bytes.
        let limits = HTTPParserLimits(maxHeaderBytes: 20)
        let outcome = await verifyParse(Array("GET / HTTP/1.1\r\nHost: a\r\nX: vvvv\r\n\r\n".utf8), limits: limits)
        #expect(outcome.error == nil)
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\nX: vvvvv\r\n\r\n", .headerFieldsTooLarge, limits: limits)
    }

    @Test func hundredAndOneFields_isHeaderFieldsTooLarge() async {
        let fields = (1...100).map { "X-F\($0): v\r\n" }.joined()
        await expectRefusal("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n", .headerFieldsTooLarge)
        let hundred = (1...99).map { "X-F\($0): v\r\n" }.joined()
        let outcome = await verifyParse("GET / HTTP/1.1\r\nHost: a\r\n\(hundred)\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.headers.count == 100)
    }

    @Test func contentLengthOverLimit_isPayloadTooLargeWithoutBodyBytes() async {
        // Only the head is sent: the refusal must not wait for the body.
        let outcome = await verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10485761\r\n\r\n")
        #expect(outcome.error == .payloadTooLarge)
        #expect(outcome.parts.isEmpty)
        let atLimit = await verifyParse(
            Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789".utf8),
            limits: HTTPParserLimits(maxBodyBytes: 10))
        #expect(atLimit.error == nil)
    }
}
