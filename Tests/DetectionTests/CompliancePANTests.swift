import Detection
import MWRASPCore
import Testing

@Suite struct CompliancePANTests {
    /// `digits` + its Luhn check digit.
    static func withCheckDigit(_ digits: String) -> String {
        for d in 0...9 where CompliancePAN.luhn(digits + String(d)) { return digits + String(d) }
        return digits
    }

    static func event(_ members: String) throws -> DetectionInput {
        try CatalogFixtures.input(#"{"event":{"kind":"event","dataset":"app.orders"},"host":{"name":"shop-1"},"# + members + "}")
    }

    @Test func luhn() {
        for valid in ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "2223003122003222", "4012888888881881"] {
            #expect(CompliancePAN.luhn(valid))
        }
        for invalid in ["4111111111111112", "5555555555554443", "1234567812345678", "8372619405728164"] {
            #expect(!CompliancePAN.luhn(invalid))
        }
    }

    @Test func knownBrandsAndSeparators() {
        let cases: [(String, String)] = [
            ("paid with 4111111111111111 today", "visa"),
            ("card 4111 1111 1111 1111.", "visa"),
            ("4111-1111-1111-1111", "visa"),
            ("5555 5555 5555 4444", "mastercard"),
            ("2223003122003222", "mastercard"),
            ("3782 822463 10005", "amex"),
            ("6011111111111117", "discover"),
            ("3530111333300000", "jcb"),
        ]
        for (text, brand) in cases {
            let m = CompliancePAN.find(in: text)
            #expect(m.count == 1, "\(text)")
            #expect(m.first?.brand == brand, "\(text)")
        }
        #expect(CompliancePAN.find(in: "4111111111111111")[0].masked == "411111******1111")
        #expect(CompliancePAN.find(in: "378282246310005")[0].masked == "378282*****0005")
    }

    @Test func noFalsePositives() {
        let texts = [
            "4111111111111112",  // Luhn fails
            "8372619405728164",  // 16 random digits, Luhn fails
            Self.withCheckDigit("999999999999999"),  // Luhn-valid, no issuer starts with 9
            Self.withCheckDigit("123456789012345"),  // Luhn-valid, no issuer starts with 1
            "1716000000000",  // epoch milliseconds
            "20260101123045123",  // compact timestamp
            "order 2026-0101-0000-1234",
            "ORD-20240517-000123",
            "x4111111111111111",  // glued to a word: part of an identifier
            "41111111111111110",  // 17 digits: Visa uses 13, 16, 19
            "411111******1111",  // masked: allowed by PCI DSS
            "4111  1111 1111 1111",  // double space breaks the run into short pieces
        ]
        for text in texts {
            #expect(CompliancePAN.find(in: text).isEmpty, "\(text)")
        }
        #expect(CompliancePAN.luhn(Self.withCheckDigit("999999999999999")))
    }

    @Test func findingMasksThePAN() throws {
        let d = ComplianceDetector()
        let findings = d.evaluate(try Self.event(#""message":"order paid","payment":{"card":"4111 1111 1111 1111","amount":12}"#))
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.detectorID == "COMP-001")
        #expect(f.type == .compliance)
        #expect(f.severity == .critical)
        #expect(CatalogFixtures.indicator(f, "regulation") == "PCI DSS")
        #expect(CatalogFixtures.indicator(f, "requirement") == "3.4")
        #expect(CatalogFixtures.indicators(f, "evidence") == ["payment.card: visa 411111******1111"])
        #expect(!f.indicators.contains { $0.value.contains("4111111111111111") || $0.value.contains("4111 1111 1111 1111") })
        #expect(f.entities.hostName == "shop-1")
    }

    @Test func panAsJSONNumber() throws {
        let f = try #require(ComplianceDetector().evaluate(try Self.event(#""card_number":5555555555554444"#)).first)
        #expect(CatalogFixtures.indicators(f, "evidence") == ["card_number: mastercard 555555******4444"])
    }

    @Test func quietOnOrdinaryEvents() throws {
        let d = ComplianceDetector()
        #expect(d.evaluate(try Self.event(#""message":"user logged in","order":{"id":"8372619405728164","ts":1716000000000}"#)).isEmpty)
        #expect(d.evaluate(try Self.event(#""message":"nothing to see""#)).isEmpty)
    }
}
