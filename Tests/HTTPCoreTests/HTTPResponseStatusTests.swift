import HTTPCore
import Testing

@Suite struct HTTPResponseStatusTests {
    @Test func standardCodes_haveTheirReasonPhrases() {
        #expect(HTTPResponseStatus.ok.reasonPhrase == "OK")
        #expect(HTTPResponseStatus.notFound.reasonPhrase == "Not Found")
        #expect(HTTPResponseStatus.requestHeaderFieldsTooLarge.reasonPhrase == "Request Header Fields Too Large")
        #expect(HTTPResponseStatus.unprocessableContent.reasonPhrase == "Unprocessable Content")
        #expect(HTTPResponseStatus.payloadTooLarge.reasonPhrase == "Content Too Large")
        #expect(HTTPResponseStatus.httpVersionNotSupported.reasonPhrase == "HTTP Version Not Supported")
        #expect(HTTPResponseStatus(code: 799).reasonPhrase == "Unknown")
        #expect(HTTPResponseStatus(code: 418, reasonPhrase: "I'm a teapot").reasonPhrase == "I'm a teapot")
    }

    @Test func staticStatuses_haveTheirCodes() {
        let expected: [(HTTPResponseStatus, Int)] = [
            (.continue, 100), (.switchingProtocols, 101), (.ok, 200), (.created, 201), (.accepted, 202),
            (.noContent, 204), (.notModified, 304), (.badRequest, 400), (.unauthorized, 401), (.forbidden, 403),
            (.notFound, 404), (.methodNotAllowed, 405), (.requestTimeout, 408), (.conflict, 409),
            (.preconditionFailed, 412), (.payloadTooLarge, 413), (.uriTooLong, 414), (.unsupportedMediaType, 415),
            (.unprocessableContent, 422), (.tooManyRequests, 429), (.requestHeaderFieldsTooLarge, 431),
            (.internalServerError, 500), (.notImplemented, 501), (.serviceUnavailable, 503),
            (.httpVersionNotSupported, 505),
        ]
        for (status, code) in expected {
            #expect(status.code == code)
            #expect(status.reasonPhrase != "Unknown")
        }
    }

    @Test func allowsBody_isFalseFor1xx204And304() {
        #expect(!HTTPResponseStatus.continue.allowsBody)
        #expect(!HTTPResponseStatus.switchingProtocols.allowsBody)
        #expect(!HTTPResponseStatus.noContent.allowsBody)
        #expect(!HTTPResponseStatus.notModified.allowsBody)
        #expect(HTTPResponseStatus.ok.allowsBody)
        #expect(HTTPResponseStatus.notFound.allowsBody)
        #expect(HTTPResponseStatus(code: 205).allowsBody)
    }
}
