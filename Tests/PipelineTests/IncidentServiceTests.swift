import Detection
import Foundation
import Incidents
import Logging
import MWRASPCore
import Testing
@testable import Pipeline
@testable import Storage

@Suite struct IncidentServiceTests {
    static let t0: Int64 = 1_790_000_000_000

    static func alert(_ n: Int, at time: Int64, host: String, sourceIP: String) -> Event {
        Event(id: EventID(milliseconds: time), timestamp: time, receivedAt: time, source: .generic, kind: .alert,
              dataset: "suricata.alert", severity: .high, title: "alert \(n)", sourceIP: sourceIP, destinationIP: "203.0.113.\(host.count)",
              userName: "svc-\(host)", hostName: host, externalID: "ext-\(n)", document: Array(#"{"n":\#(n)}"#.utf8), original: [])
    }

    final class NoEngine: FindingEngine {
        func findings(for input: DetectionInput) -> [Finding] { [] }
    }

    @Test func alertsSharingEntitiesJoinOneIncidentThatSurvivesARestart() async throws {
        let path = NSTemporaryDirectory() + "incidents-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
        let service = IncidentService(book: IncidentBook())
        let pipeline = DetectionPipeline(store: store, engine: NoEngine(), incidents: service, now: { Self.t0 + 600_000 },
                                         logger: Logger(label: "test"))
        _ = try await store.append(
            [Self.alert(1, at: Self.t0, host: "web-1", sourceIP: "10.0.0.5"),
             Self.alert(2, at: Self.t0 + 240_000, host: "web-1", sourceIP: "10.0.0.5"),
             Self.alert(3, at: Self.t0 + 60_000, host: "db-9", sourceIP: "10.9.9.9")],
            fingerprints: [nil, nil, nil], idempotencyKey: nil, answer: nil)
        try await pipeline.drain()

        let incidents = try await store.incidents(RecordQuery()).items
            .map { try JSONDecoder().decode(Incident.self, from: Data($0)) }
        #expect(incidents.count == 2)
        let joined = try #require(incidents.first { $0.findingCount == 2 })
        #expect(joined.entities.hosts == ["web-1"])
        let detections = try await store.detections(RecordQuery()).items
            .map { try JSONDecoder().decode(DetectionView.self, from: Data($0)) }
        #expect(detections.filter { $0.incident_id == joined.id }.count == 2)
        #expect(try await store.timeline(incidentID: joined.id).count >= 2)

        // After a restart, a third alert from the same source joins the same incident.
        let restored = try await IncidentService.restore(from: store, now: Self.t0 + 600_000)
        #expect(restored.book.incident(id: joined.id) != nil)
        let second = DetectionPipeline(store: store, engine: NoEngine(), incidents: restored, now: { Self.t0 + 600_000 },
                                       logger: Logger(label: "test"))
        try await second.start()
        _ = try await store.append([Self.alert(4, at: Self.t0 + 300_000, host: "web-1", sourceIP: "10.0.0.5")],
                                   fingerprints: [nil], idempotencyKey: nil, answer: nil)
        try await second.drain()
        await second.stop()
        let after = try JSONDecoder().decode(Incident.self, from: Data(try #require(await store.incident(id: joined.id))))
        #expect(after.findingCount == 3)
        await store.close()
    }

    @Test func repeatsOfAnAlertCountOnItsIncidentAcrossARestart() async throws {
        let path = NSTemporaryDirectory() + "incidents-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
        let now: @Sendable () -> Int64 = { Self.t0 + 600_000 }
        let first = DetectionPipeline(store: store, engine: NoEngine(), incidents: IncidentService(book: IncidentBook()), now: now,
                                      logger: Logger(label: "test"))
        try await first.start()
        // Two sends of one alert (same fingerprint): one alert, counted twice.
        for n in 1...2 {
            _ = try await store.append([Self.alert(n, at: Self.t0 + Int64(n) * 1_000, host: "web-1", sourceIP: "10.0.0.5")],
                                       fingerprints: ["fp-web-1"], idempotencyKey: nil, answer: nil)
        }
        try await first.drain()
        await first.stop()
        let opened = try await store.incidents(RecordQuery()).items.map { try JSONDecoder().decode(Incident.self, from: Data($0)) }
        let incident = try #require(opened.first)
        #expect(opened.count == 1)
        #expect(incident.findings.first?.repeatCount == 2)

        // After a restart the next repeat still counts on that incident's finding; before, it
        // became a new finding joined by correlation.
        let restored = try await IncidentService.restore(from: store, now: now())
        let second = DetectionPipeline(store: store, engine: NoEngine(), incidents: restored, now: now, logger: Logger(label: "test"))
        try await second.start()
        _ = try await store.append([Self.alert(3, at: Self.t0 + 3_000, host: "web-1", sourceIP: "10.0.0.5")],
                                   fingerprints: ["fp-web-1"], idempotencyKey: nil, answer: nil)
        try await second.drain()
        await second.stop()
        let after = try JSONDecoder().decode(Incident.self, from: Data(try #require(await store.incident(id: incident.id))))
        #expect(after.findingCount == 1)
        #expect(after.findings.first?.repeatCount == 3)
        #expect(try await store.detections(RecordQuery()).items.count == 1)
        await store.close()
    }

    @Test func repeatsCountOnTheirOwnAlertsFindingAndAddUpWithinABatch() async throws {
        let path = NSTemporaryDirectory() + "incidents-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
        let pipeline = DetectionPipeline(store: store, engine: NoEngine(), incidents: IncidentService(book: IncidentBook()),
                                         now: { Self.t0 + 600_000 }, logger: Logger(label: "test"))
        // Two different alerts from the same host and source join one incident.
        _ = try await store.append([Self.alert(1, at: Self.t0, host: "web-1", sourceIP: "10.0.0.5"),
                                    Self.alert(2, at: Self.t0 + 1_000, host: "web-1", sourceIP: "10.0.0.5")],
                                   fingerprints: ["fp-a", "fp-b"], idempotencyKey: nil, answer: nil)
        // Alert b repeats five times in one batch, alert a once.
        let repeatsOfB = (3...7).map { Self.alert($0, at: Self.t0 + 2_000, host: "web-1", sourceIP: "10.0.0.5") }
        _ = try await store.append(repeatsOfB + [Self.alert(8, at: Self.t0 + 3_000, host: "web-1", sourceIP: "10.0.0.5")],
                                   fingerprints: Array(repeating: "fp-b", count: 5) + ["fp-a"], idempotencyKey: nil, answer: nil)
        try await pipeline.drain()
        let incidents = try await store.incidents(RecordQuery()).items.map { try JSONDecoder().decode(Incident.self, from: Data($0)) }
        let incident = try #require(incidents.first)
        #expect(incidents.count == 1)
        #expect(incident.findings.map(\.repeatCount) == [2, 6])
        await store.close()
    }

    /// Snapshots due together are spread over batches (`snapshotsPerBatch` each), so a storm
    /// touching many incidents does not re-encode them all in one batch; a tick with `flushAll`
    /// (drain, stop) still writes every one.
    @Test func dueSnapshotsAreSpreadOverBatchesUnlessFlushed() {
        let opened = 2 * IncidentService.snapshotsPerBatch + 8
        func openIncidents(_ service: IncidentService) {
            for n in 0..<opened {
                var detection = Detection(
                    id: "det_\(n)",
                    finding: Finding(detectorID: "rule-\(n)", type: .sigma, title: "finding \(n)", severity: .high, confidence: 0.9,
                                     eventIDs: [EventID(milliseconds: Self.t0)],
                                     entities: Entities(sourceIP: "10.1.\(n / 250).\(n % 250)", hostName: "host-\(n)")),
                    detectedAt: Self.t0, eventTime: Self.t0, latencySeconds: 0)
                var ignored = DetectionBatch()
                service.correlate(&detection, now: Self.t0, into: &ignored)
            }
        }
        let spread = IncidentService(book: IncidentBook())
        openIncidents(spread)
        var written: [Int] = []
        for _ in 0..<4 {
            var batch = DetectionBatch()
            spread.finish(now: Self.t0, into: &batch)
            written.append(batch.incidents.count)
        }
        #expect(written == [IncidentService.snapshotsPerBatch, IncidentService.snapshotsPerBatch, 8, 0])

        let flushed = IncidentService(book: IncidentBook())
        openIncidents(flushed)
        var batch = DetectionBatch()
        flushed.tick(now: Self.t0, flushAll: true, into: &batch)
        #expect(batch.incidents.count == opened)
        #expect(Set(batch.incidents.map(\.id)).count == opened)
    }
}
