import Testing
@testable import Security

@Suite struct WebhookSignatureTests {
    static let secret = Array("whsec_test".utf8)
    static let oldSecret = Array("whsec_old".utf8)
    static let body = Array(#"{"event":"ping"}"#.utf8)
    static let t: Int64 = 1_700_000_000
    let verifier = WebhookSignature(secrets: [secret])

    @Test func signMatchesAnIndependentHMAC() {
        // Python: hmac.new(b'whsec_test', b'1700000000.{"event":"ping"}', sha256).hexdigest()
        #expect(WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
            == "t=1700000000,v1=aa8efe37b751e71157c508c5ac4acb1e9fe5225db98355dfc00f4b680afbc447")
    }

    @Test func validSignaturePasses() throws {
        let header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
        try verifier.verify(header: header, body: Self.body, now: Self.t + 10)
        // Spaces around elements and an unknown scheme are tolerated; hex case does not matter.
        try verifier.verify(header: " t=\(Self.t) , v0=zz, " + header.split(separator: ",")[1].uppercased().replacingV1(),
                            body: Self.body, now: Self.t)
    }

    @Test func badMACFails() {
        var header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
        let flipped: Character = header.last == "0" ? "1" : "0"
        header.removeLast()
        header.append(flipped)
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: header, body: Self.body, now: Self.t)
        }
        let otherSecret = WebhookSignature.sign(body: Self.body, secret: Array("nope".utf8), timestamp: Self.t)
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: otherSecret, body: Self.body, now: Self.t)
        }
    }

    @Test func tamperedBodyOrTimestampFails() {
        let header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: header, body: Array(#"{"event":"pong"}"#.utf8), now: Self.t)
        }
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: header, body: Self.body + [0x20], now: Self.t)
        }
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: header, body: [], now: Self.t)
        }
        // Moving the timestamp (to dodge the replay window) breaks the MAC.
        let moved = header.replacingOccurrencesOfTimestamp(Self.t, with: Self.t + 100)
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: moved, body: Self.body, now: Self.t + 100)
        }
    }

    @Test func toleranceBoundaryBothWays() throws {
        let header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
        try verifier.verify(header: header, body: Self.body, now: Self.t + 300)  // exactly 300 s old
        try verifier.verify(header: header, body: Self.body, now: Self.t - 300)  // exactly 300 s ahead
        #expect(throws: SignatureError.timestampOutOfTolerance(skewSeconds: 301)) {
            try verifier.verify(header: header, body: Self.body, now: Self.t + 301)
        }
        #expect(throws: SignatureError.timestampOutOfTolerance(skewSeconds: -301)) {
            try verifier.verify(header: header, body: Self.body, now: Self.t - 301)
        }
        // The window is configurable.
        let strict = WebhookSignature(secrets: [Self.secret], tolerance: 5)
        #expect(throws: SignatureError.timestampOutOfTolerance(skewSeconds: 6)) {
            try strict.verify(header: header, body: Self.body, now: Self.t + 6)
        }
    }

    @Test func missingHeader() {
        for header in [nil, "", "   "] as [String?] {
            #expect(throws: SignatureError.missing) {
                try verifier.verify(header: header, body: Self.body, now: Self.t)
            }
        }
    }

    static let goodMAC = String(repeating: "ab", count: 32)

    @Test(arguments: [
        "garbage",
        "t=1700000000",  // no v1
        "v1=\(goodMAC)",  // no t
        "t=,v1=\(goodMAC)",
        "t=abc,v1=\(goodMAC)",
        "t=-5,v1=\(goodMAC)",
        "t=+5,v1=\(goodMAC)",
        "t=1.5,v1=\(goodMAC)",
        "t=99999999999999999999,v1=\(goodMAC)",  // would overflow Int64
        "t=1700000000,t=1700000000,v1=\(goodMAC)",
        "t=1700000000,v1=",
        "t=1700000000,v1=abc",
        "t=1700000000,v1=\(String(repeating: "zz", count: 32))",
        "t=1700000000,v1=\(goodMAC)00",  // 33 bytes
        "t=1700000000,,v1=\(goodMAC)",
        "t=1700000000,v1=\(goodMAC),",
        "t=1700000000;v1=\(goodMAC)",
        "=1,t=1700000000,v1=\(goodMAC)",
        "t=1700000000," + Array(repeating: "v1=\(goodMAC)", count: 17).joined(separator: ","),
        "t=1700000000,v1=\(goodMAC)," + String(repeating: "x", count: 5000) + "=1",
    ])
    func malformedHeaderShapes(_ header: String) {
        #expect {
            try verifier.verify(header: header, body: Self.body, now: Self.t)
        } throws: { error in
            guard case .malformed(let why) = error as? SignatureError else { return false }
            return !why.isEmpty
        }
    }

    @Test func rotationAcceptsAnyConfiguredSecretAndAnyV1() throws {
        let rotating = WebhookSignature(secrets: [Self.secret, Self.oldSecret])
        let new = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
        let old = WebhookSignature.sign(body: Self.body, secret: Self.oldSecret, timestamp: Self.t)
        try rotating.verify(header: new, body: Self.body, now: Self.t)
        try rotating.verify(header: old, body: Self.body, now: Self.t)

        // A sender mid-rotation sends both MACs; either order passes, even if one is stale.
        let newMAC = new.split(separator: ",")[1]
        let oldMAC = old.split(separator: ",")[1]
        let bogus = "v1=\(Self.goodMAC)"
        try verifier.verify(header: "t=\(Self.t),\(oldMAC),\(newMAC)", body: Self.body, now: Self.t)
        try verifier.verify(header: "t=\(Self.t),\(newMAC),\(bogus)", body: Self.body, now: Self.t)
        try verifier.verify(header: "t=\(Self.t),\(bogus),\(newMAC)", body: Self.body, now: Self.t)
        #expect(throws: SignatureError.mismatch) {
            try verifier.verify(header: "t=\(Self.t),\(oldMAC),\(bogus)", body: Self.body, now: Self.t)
        }
    }

    @Test func noSecretsMeansNothingVerifies() {
        let none = WebhookSignature(secrets: [])
        let header = WebhookSignature.sign(body: Self.body, secret: Self.secret, timestamp: Self.t)
        #expect(throws: SignatureError.mismatch) {
            try none.verify(header: header, body: Self.body, now: Self.t)
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(SignatureError.missing.description.contains("X-MWRASP-Signature"))
        #expect(SignatureError.timestampOutOfTolerance(skewSeconds: 400).description.contains("400 s old"))
        #expect(SignatureError.timestampOutOfTolerance(skewSeconds: -400).description.contains("400 s in the future"))
        #expect(SignatureError.malformed("x").description.hasSuffix("x"))
    }
}

extension String {
    /// "V1=ABC..." back to "v1=ABC..." after uppercasing a whole element.
    fileprivate func replacingV1() -> String {
        "v1=" + dropFirst(3)
    }

    fileprivate func replacingOccurrencesOfTimestamp(_ t: Int64, with new: Int64) -> String {
        "t=\(new)" + dropFirst("t=\(t)".count)
    }
}
