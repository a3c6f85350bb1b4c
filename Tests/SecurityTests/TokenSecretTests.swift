import Testing
@testable import Security

@Suite struct TokenSecretTests {
    static let base64URLAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func generatedTokensHaveTheDocumentedFormat() throws {
        for _ in 0..<200 {
            let secret = TokenSecret.generate()
            let text = secret.plaintext
            #expect(text.hasPrefix("mwr_"))
            #expect(text.count == 47)
            #expect(text.dropFirst(4).allSatisfy { Self.base64URLAlphabet.contains($0) })
            #expect(TokenSecret(parsing: text) == secret)
        }
    }

    @Test func generatedTokensDiffer() {
        let texts = Set((0..<1000).map { _ in TokenSecret.generate().plaintext })
        #expect(texts.count == 1000)
    }

    @Test func base64URLMatchesKnownEncodings() {
        // Expected values from Python's base64.urlsafe_b64encode with padding removed.
        #expect(Base64URL.encode((0..<32).map(UInt8.init)) == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        #expect(Base64URL.encode([UInt8](repeating: 0xFF, count: 32)) == "__________________________________________8")
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
    }

    @Test func hashIsLowercaseHexSHA256() {
        // FIPS 180-2 vectors.
        #expect(TokenSecret.hash(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenSecret.hash(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let secret = TokenSecret(parsing: Self.token())!
        // From Python hashlib.sha256.
        #expect(secret.hash == "acde877893d0711360b498bab92992b448aad54ac72f0f4ca0a5ea6e932d9f1c")
        #expect(secret.hash == TokenSecret.hash(of: secret.plaintext))
    }

    /// "mwr_" + `middle`, then `fill` up to the 43 characters (or `count` of them).
    static func token(_ middle: String = "", fill: Character = "A", count: Int = 43) -> String {
        "mwr_" + middle + String(repeating: fill, count: count - middle.count)
    }

    @Test(arguments: [
        "",
        "mwr_",
        token(count: 42),
        token(count: 44),
        token(count: 42) + "=",  // padding
        "MWR_" + token().dropFirst(4),  // prefix is case-sensitive
        "xyz_" + token().dropFirst(4),
        token("+"),  // standard base64, not url
        token("/"),
        token(" "),
        token("\u{E9}", count: 42),  // 47 bytes, but not ASCII
        token(count: 42) + "B",  // last char has non-zero spare bits
        " " + token(count: 42),
        "Bearer " + token(),
        token() + "\n",
    ])
    func parsingRejectsMalformedText(_ text: String) {
        #expect(TokenSecret(parsing: text) == nil)
    }

    @Test func parsingAcceptsCanonicalText() {
        #expect(Self.token().utf8.count == 47)
        #expect(Self.token("\u{E9}", count: 42).utf8.count == 47)
        #expect(TokenSecret(parsing: Self.token()) != nil)
        #expect(TokenSecret(parsing: "mwr_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8") != nil)
        #expect(TokenSecret(parsing: Self.token(fill: "_", count: 42) + "8") != nil)
        #expect(TokenSecret(parsing: Self.token(fill: "-")) == nil)  // '-' = 62: spare bits set
    }

    @Test func descriptionDoesNotLeakTheSecret() {
        let secret = TokenSecret.generate()
        #expect(!"\(secret)".contains(secret.plaintext))
        #expect(!String(reflecting: secret).contains(secret.plaintext))
    }

    @Test func hexRoundTripsAndRejectsJunk() {
        #expect(Bytes.hex([0x00, 0x0F, 0xAB, 0xFF]) == "000fabff")
        #expect(Bytes.fromHex("000fABff") == [0x00, 0x0F, 0xAB, 0xFF])
        #expect(Bytes.fromHex("abc") == nil)
        #expect(Bytes.fromHex("zz") == nil)
        #expect(Bytes.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Bytes.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Bytes.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
