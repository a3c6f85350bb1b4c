import MWRASPCore
import Testing
@testable import Storage

@Suite struct DedupTests {
    let minute: Int64 = 60_000

    @Test func repeatsWithinTheWindowCountOnOneAlert() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let t0 = Sample.base
        let first = Sample.event(1, at: t0, severity: .low)
        let second = Sample.event(2, at: t0 + 4 * minute, severity: .high)
        _ = try await store.append([first], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        _ = try await store.append([second], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        let alerts = try await store.alerts(forFingerprint: "fp")
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.count == 2)
        #expect(alert.firstSeen == t0 && alert.lastSeen == t0 + 4 * minute)
        #expect(alert.firstEventID == first.id && alert.lastEventID == second.id)
        #expect(alert.severity == .high)
        #expect(alert.title == "alert 1")
        #expect(alert.source == .generic)
        #expect(try await store.alert(id: alert.id) == alert)
        #expect(try await store.event(id: first.id)?.alertID == alert.id)
        #expect(try await store.event(id: second.id)?.alertID == alert.id)
        await store.close()
    }

    @Test func repeatsAfterTheWindowOpenANewAlert() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let t0 = Sample.base
        _ = try await store.append([Sample.event(1, at: t0)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        _ = try await store.append([Sample.event(2, at: t0 + 6 * minute)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        let alerts = try await store.alerts(forFingerprint: "fp")
        #expect(alerts.map(\.count) == [1, 1])
        #expect(alerts[0].id != alerts[1].id)
        await store.close()
    }

    @Test func severityNeverDropsAndStatusIsCarried() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let t0 = Sample.base
        let events = [
            Sample.event(1, at: t0, severity: .high, status: "firing"),
            Sample.event(2, at: t0 + 1_000, severity: .low, status: nil),
            Sample.event(3, at: t0 + 2_000, severity: nil, status: "resolved"),
        ]
        _ = try await store.append(events, fingerprints: ["fp", "fp", "fp"], idempotencyKey: nil, answer: nil)
        let alert = try #require(try await store.alerts(forFingerprint: "fp").first)
        #expect(alert.count == 3)
        #expect(alert.severity == .high)
        #expect(alert.status == "resolved")
        await store.close()
    }

    @Test func aLateResolutionResolvesTheOpenAlertAndALaterFiringOpensANewOne() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let t0 = Sample.base
        let window: Int64 = 300_000
        _ = try await store.append([Sample.event(1, at: t0, status: "firing")], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        // Resolved an hour later, far outside the dedup window: still the same alert.
        _ = try await store.append([Sample.event(2, at: t0 + 12 * window, status: "resolved")], fingerprints: ["fp"],
                                   idempotencyKey: nil, answer: nil)
        var alerts = try await store.alerts(forFingerprint: "fp")
        #expect(alerts.count == 1)
        #expect(alerts.first?.status == "resolved")
        #expect(alerts.first?.count == 2)
        // Firing again later opens a new alert; a second late resolution does not touch the old one.
        _ = try await store.append([Sample.event(3, at: t0 + 24 * window, status: "firing")], fingerprints: ["fp"],
                                   idempotencyKey: nil, answer: nil)
        _ = try await store.append([Sample.event(4, at: t0 + 36 * window, status: "resolved")], fingerprints: ["fp"],
                                   idempotencyKey: nil, answer: nil)
        alerts = try await store.alerts(forFingerprint: "fp")
        #expect(alerts.map(\.count) == [2, 2])
        #expect(alerts.map(\.status) == ["resolved", "resolved"])
        await store.close()
    }

    @Test func escalatesOneLevelPerMultipleOfRepeats() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.escalateAfterRepeats = 3 }
        let t0 = Sample.base
        var severities: [Severity?] = []
        for n in 0..<7 {
            _ = try await store.append([Sample.event(n, at: t0 + Int64(n) * 1_000, severity: .low)], fingerprints: ["fp"],
                                   idempotencyKey: nil, answer: nil)
            severities.append(try await store.alerts(forFingerprint: "fp").first?.severity)
        }
        // count 3 -> medium, count 6 -> high; never above critical.
        #expect(severities == [.low, .low, .medium, .medium, .medium, .high, .high])
        await store.close()
    }

    @Test func escalationStopsAtCritical() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory) { $0.escalateAfterRepeats = 1 }
        let events = (0..<10).map { Sample.event($0, at: Sample.base + Int64($0), severity: .high) }
        _ = try await store.append(events, fingerprints: events.map { _ in "fp" }, idempotencyKey: nil, answer: nil)
        #expect(try await store.alerts(forFingerprint: "fp").first?.severity == .critical)
        await store.close()
    }

    @Test func nonAlertsAndNilFingerprintsAreNotDeduplicated() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let telemetry = Sample.event(1, kind: .telemetry)
        let unfingerprinted = Sample.event(2)
        _ = try await store.append([telemetry, unfingerprinted], fingerprints: ["fp", nil], idempotencyKey: nil, answer: nil)
        #expect(try await store.alerts(forFingerprint: "fp").isEmpty)
        #expect(try await store.event(id: telemetry.id)?.alertID == nil)
        await store.close()
    }

    @Test func skippedDuplicatesDoNotCount() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let events = [Sample.event(1, externalID: "x"), Sample.event(2, externalID: "x")]
        let outcome = try await store.append(events, fingerprints: ["fp", "fp"], idempotencyKey: nil, answer: nil)
        #expect(outcome == .stored(stored: 1, skippedDuplicates: 1))
        #expect(try await store.alerts(forFingerprint: "fp").map(\.count) == [1])
        await store.close()
    }

    @Test func dedupContinuesAfterRestart() async throws {
        let directory = TemporaryDirectory()
        let t0 = Sample.base
        let store = try Sample.store(directory)
        _ = try await store.append([Sample.event(1, at: t0)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        _ = try await store.append([Sample.event(2, at: t0), Sample.event(3, at: t0)], fingerprints: ["other", "third"],
                               idempotencyKey: nil, answer: nil)
        await store.close()
        let reopened = try Sample.store(directory)
        _ = try await reopened.append([Sample.event(4, at: t0 + minute)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        _ = try await reopened.append([Sample.event(5, at: t0 + minute)], fingerprints: ["new"], idempotencyKey: nil, answer: nil)
        #expect(try await reopened.alerts(forFingerprint: "fp").map(\.count) == [2])
        let new = try #require(try await reopened.alerts(forFingerprint: "new").first)
        #expect(new.id == 4)  // ids continue after the existing alerts
        await reopened.close()
    }

    /// After a restart a repeat counts on the newest alert of its fingerprint (found through
    /// the fingerprint index, newest id first), not on an older one that went quiet.
    @Test func afterARestartARepeatCountsOnTheNewestAlertOfItsFingerprint() async throws {
        let directory = TemporaryDirectory()
        let t0 = Sample.base
        let window: Int64 = 300_000
        let store = try Sample.store(directory)
        _ = try await store.append([Sample.event(1, at: t0)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        _ = try await store.append([Sample.event(2, at: t0 + window + 1)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        await store.close()
        let reopened = try Sample.store(directory)
        _ = try await reopened.append([Sample.event(3, at: t0 + window + 2)], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        #expect(try await reopened.alerts(forFingerprint: "fp").map(\.count) == [1, 2])
        await reopened.close()
    }
}
