import HTTPCore
import Testing

@Suite struct HTTPParseErrorTests {
    @Test func parseError_mapsToStatusAndDetail() {
        let cases: [(HTTPParseError, Int)] = [
            (.badRequest("obs-fold is not allowed"), 400), (.uriTooLong, 414), (.headerFieldsTooLarge, 431),
            (.payloadTooLarge, 413), (.notImplemented("transfer coding \"gzip\" is not supported"), 501),
            (.versionNotSupported, 505),
        ]
        for (error, status) in cases {
            #expect(error.status == status)
            #expect(error.detail.hasSuffix("."))
        }
        #expect(HTTPParseError.badRequest("obs-fold is not allowed").detail == "The request is malformed: obs-fold is not allowed.")
    }
}
