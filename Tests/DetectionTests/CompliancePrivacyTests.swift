import Detection
import Ingestion
import MWRASPCore
import Testing

@Suite struct CompliancePrivacyTests {
    static func event(_ members: String, at ms: Int64 = CatalogFixtures.t0) throws -> DetectionInput {
        try CatalogFixtures.input(#"{"event":{"kind":"event","dataset":"app.records"},"# + members + "}", at: ms)
    }

    static func regulations(_ input: DetectionInput) -> [String] {
        ComplianceDetector().evaluate(input).compactMap { CatalogFixtures.indicator($0, "regulation") }
    }

    // MARK: HIPAA

    @Test func phiWithoutEncryption() throws {
        let input = try Self.event(#""patient":{"mrn":"00123456","name":"Jane Doe"},"diagnosis_code":"E11.9""#)
        let f = try #require(ComplianceDetector().evaluate(input).first)
        #expect(f.severity == .critical)
        #expect(CatalogFixtures.indicator(f, "regulation") == "HIPAA")
        #expect(CatalogFixtures.indicator(f, "requirement") == "Security Rule 164.312(a)(2)(iv)")
        #expect(CatalogFixtures.indicators(f, "evidence").contains("patient.mrn: medical record identifier"))
        #expect(CatalogFixtures.indicators(f, "evidence").contains("patient.name: person identifier"))
        #expect(CatalogFixtures.indicator(f, "notification_deadline_hours") == "1440.0")
    }

    @Test func phiInFreeText() throws {
        #expect(Self.regulations(try Self.event(#""message":"lab result for MRN: 7654321","ssn":"123-45-6789""#)) == ["HIPAA"])
        #expect(Self.regulations(try Self.event(#""message":"MRN#7654321 seen, SSN 123-45-6789""#)) == ["HIPAA"])
    }

    @Test func phiNegatives() throws {
        // Declared encrypted.
        #expect(Self.regulations(try Self.event(#""patient":{"mrn":"00123456","name":"Jane Doe"},"encrypted":true"#)).isEmpty)
        #expect(Self.regulations(try Self.event(#""patient":{"mrn":"00123456","name":"Jane Doe"},"storage":{"encryption":"AES-256-GCM"}"#)).isEmpty)
        // A diagnosis code without a person; a person without a medical identifier.
        #expect(Self.regulations(try Self.event(#""diagnosis_code":"E11.9","count":3"#)).isEmpty)
        #expect(Self.regulations(try Self.event(#""patient":{"name":"Jane Doe"},"message":"visit booked""#)).isEmpty)
        // An ICD-shaped value outside a diagnosis field is just a string; an invalid SSN area.
        #expect(Self.regulations(try Self.event(#""patient_name":"Jane Doe","room":"E11","ref":"666-12-3456""#)).isEmpty)
        // "encryption": "none" is not a declaration.
        #expect(Self.regulations(try Self.event(#""patient_id":"P-1","dob":"1980-01-02","encryption":"none""#)) == ["HIPAA"])
    }

    // MARK: GDPR

    @Test func euPersonalDataWithoutLawfulBasis() throws {
        let input = try Self.event(#""data_subject":{"email":"anna.schmidt@example.de","country":"DE"}"#)
        let f = try #require(ComplianceDetector().evaluate(input).first)
        #expect(f.severity == .high)
        #expect(CatalogFixtures.indicator(f, "regulation") == "GDPR")
        #expect(CatalogFixtures.indicator(f, "requirement") == "Article 6")
        #expect(CatalogFixtures.indicator(f, "notification_deadline_hours") == "72.0")
        #expect(CatalogFixtures.indicator(f, "notification_deadline") == Timestamps.format(CatalogFixtures.t0 + 72 * 3_600_000))
        #expect(CatalogFixtures.indicator(f, "notification_deadline") == "2026-01-04T00:00:00.000Z")
        #expect(CatalogFixtures.indicators(f, "evidence").contains("lawful_basis: absent"))
    }

    @Test func euPhoneAndIBANAreTiedToTheEU() throws {
        #expect(Self.regulations(try Self.event(#""customer":{"phone":"+49 30 1234567"}"#)) == ["GDPR"])
        #expect(Self.regulations(try Self.event(#""payout":{"iban":"DE89 3704 0044 0532 0130 00"}"#)) == ["GDPR"])
        #expect(Self.regulations(try Self.event(#""message":"refund to FR1420041010050500013M02606 done""#)) == ["GDPR"])
    }

    @Test func gdprNegatives() throws {
        // A lawful basis is recorded.
        #expect(Self.regulations(try Self.event(#""data_subject":{"email":"anna@example.de","country":"DE"},"lawful_basis":"consent""#)).isEmpty)
        #expect(Self.regulations(try Self.event(#""customer":{"phone":"+33 1 23 45 67 89"},"processing":{"legal_basis":"Legitimate interests"}"#)).isEmpty)
        // Not tied to the EU: a US phone, a non-EU country, an e-mail alone.
        #expect(Self.regulations(try Self.event(#""customer":{"phone":"+1 415 555 0100","country":"US"}"#)).isEmpty)
        #expect(Self.regulations(try Self.event(#""user":{"name":"bob","email":"bob@example.com"}"#)).isEmpty)
        // Endpoint geolocation is not the data subject's country.
        #expect(Self.regulations(try Self.event(#""user":{"email":"bob@example.com"},"source":{"ip":"203.0.113.9","geo":{"country_iso_code":"DE"}}"#)).isEmpty)
        // An IBAN with a bad check digit; not an e-mail.
        #expect(Self.regulations(try Self.event(#""iban":"DE88370400440532013000","note":"ping @ noon","country":"FR""#)).isEmpty)
    }

    @Test func invalidLawfulBasisIsReported() throws {
        let f = try #require(ComplianceDetector().evaluate(try Self.event(#""email":"a@b.fr","country":"France","lawful_basis":"because""#)).first)
        #expect(CatalogFixtures.indicators(f, "evidence").contains("lawful_basis: not an Art. 6(1) basis (because)"))
    }

    @Test func severalRegulationsInOneEvent() throws {
        let input = try Self.event(#""patient":{"mrn":"00123456","name":"Jane Doe","email":"jane@example.ie","country":"IE"},"card":"4111111111111111""#)
        #expect(Set(Self.regulations(input)) == ["PCI DSS", "HIPAA", "GDPR"])
    }

    @Test func deadlinesAreConfigurable() throws {
        var c = ComplianceConfiguration()
        c.gdprNotificationHours = 24
        let f = try #require(ComplianceDetector(configuration: c).evaluate(try Self.event(#""email":"a@b.fr","country":"FR""#)).first)
        #expect(CatalogFixtures.indicator(f, "notification_deadline") == "2026-01-02T00:00:00.000Z")
    }
}
