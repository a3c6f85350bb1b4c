import Detection
import Foundation
import Logging
import MWRASPCore
import Synchronization
import Testing
@testable import Pipeline
@testable import Storage

/// Fires on every event whose title contains "evil".
final class TitleEngine: FindingEngine {
    func findings(for input: DetectionInput) -> [Finding] {
        guard input.event.title?.contains("evil") == true else { return [] }
        return [Finding(detectorID: "TEST-1", type: .sigma, title: "evil title", severity: .high, confidence: 0.9,
                        eventIDs: [input.event.id], entities: Entities(of: input.event))]
    }
}

/// Puts every detection in incident `inc_<host>` and records what it was asked.
final class HostCorrelator: IncidentCorrelator {
    let repeats = Mutex<[String]>([])
    func correlate(_ detection: inout Detection, now: Int64, into batch: inout DetectionBatch) {
        detection.incidentID = "inc_" + (detection.finding.entities.hostName ?? "none")
    }
    func countRepeats(of finding: AlertFinding, lastEventID: EventID, count: Int, now: Int64, into batch: inout DetectionBatch) {
        repeats.withLock { $0 += Array(repeating: finding.incidentID, count: count) }
    }
    func tick(now: Int64, flushAll: Bool, into batch: inout DetectionBatch) {}
    func finish(now: Int64, into batch: inout DetectionBatch) {}
}

@Suite struct DetectionPipelineTests {
    static func event(_ n: Int, kind: EventKind, title: String, host: String = "h1") -> Event {
        Event(id: EventID(milliseconds: 1_790_000_000_000 + Int64(n)), timestamp: 1_790_000_000_000, receivedAt: 1_790_000_000_000 + Int64(n),
              source: .generic, kind: kind, dataset: "test", severity: .medium, title: title, hostName: host,
              document: Array(#"{"n":\#(n)}"#.utf8), original: [])
    }

    func makeStore(_ path: String) throws -> SQLiteStore {
        try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
    }

    @Test func detectsStoresAndResumesAfterRestartWithoutRepeats() async throws {
        let path = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try makeStore(path)
        _ = try await store.append(
            [Self.event(1, kind: .event, title: "evil thing"), Self.event(2, kind: .event, title: "fine"),
             Self.event(3, kind: .alert, title: "SIEM says so", host: "h2")],
            fingerprints: [nil, nil, "fp"], idempotencyKey: nil, answer: nil)
        let pipeline = DetectionPipeline(store: store, engine: TitleEngine(), incidents: HostCorrelator(),
                                         now: { 1_790_000_000_100 }, logger: Logger(label: "test"))
        try await pipeline.start()
        try await pipeline.drain()
        await pipeline.stop()

        let page = try await store.detections(RecordQuery())
        let views = try page.items.map { try JSONDecoder().decode(DetectionView.self, from: Data($0)) }
        #expect(views.map(\.detector_id).sorted() == ["TEST-1", "test"])
        let sigma = try #require(views.first { $0.type == "sigma" })
        #expect(sigma.incident_id == "inc_h1" && sigma.severity == "high" && sigma.latency_seconds == 0.099)
        let alert = try #require(views.first { $0.type == "siem_alert" })
        #expect(alert.incident_id == "inc_h2" && alert.confidence == 0.75)
        #expect(try await store.checkpoint(DetectionPipeline.checkpointName) == store.lastEventSequence())

        // Restart: nothing is detected twice; a new event is.
        let second = DetectionPipeline(store: store, engine: TitleEngine(), incidents: HostCorrelator(),
                                       now: { 1_790_000_000_200 }, logger: Logger(label: "test"))
        try await second.start()
        try await second.drain()
        #expect(try await store.detections(RecordQuery()).items.count == 2)
        _ = try await store.append([Self.event(4, kind: .event, title: "more evil")], fingerprints: [nil], idempotencyKey: nil, answer: nil)
        second.wake()
        try await second.drain()
        await second.stop()
        #expect(try await store.detections(RecordQuery()).items.count == 3)
        await store.close()
    }

    @Test func alertRepeatsCountOnTheIncidentTheFirstJoinedInsteadOfNewDetections() async throws {
        let path = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try makeStore(path)
        let correlator = HostCorrelator()
        let pipeline = DetectionPipeline(store: store, engine: TitleEngine(), incidents: correlator,
                                         now: { 1_790_000_000_100 }, logger: Logger(label: "test"))
        try await pipeline.start()
        for n in 1...3 {
            _ = try await store.append([Self.event(n, kind: .alert, title: "same alert", host: "h9")],
                                       fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        }
        try await pipeline.drain()
        await pipeline.stop()
        #expect(try await store.detections(RecordQuery()).items.count == 1)
        #expect(correlator.repeats.withLock { $0 } == ["inc_h9", "inc_h9"])
        await store.close()
    }
}

@Suite struct LifecycleUpdateTests {
    @Test func resolvedAndAcknowledgedAlertsAreNotNewFindings() async throws {
        let path = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
        var firing = DetectionPipelineTests.event(1, kind: .alert, title: "disk full", host: "db-1")
        firing.status = "firing"
        var resolved = DetectionPipelineTests.event(2, kind: .alert, title: "disk full", host: "db-2")
        resolved.status = "resolved"
        var acknowledged = DetectionPipelineTests.event(3, kind: .alert, title: "cpu", host: "db-3")
        acknowledged.status = "acknowledge"
        _ = try await store.append([firing, resolved, acknowledged], fingerprints: [nil, nil, nil], idempotencyKey: nil, answer: nil)
        let pipeline = DetectionPipeline(store: store, engine: TitleEngine(), incidents: HostCorrelator(),
                                         now: { 1_790_000_000_100 }, logger: Logger(label: "test"))
        try await pipeline.drain()
        let views = try await store.detections(RecordQuery()).items.map { try JSONDecoder().decode(DetectionView.self, from: Data($0)) }
        #expect(views.map(\.incident_id) == ["inc_db-1"])
        await store.close()
    }
}

@Suite struct OverlappedLoopTests {
    @Test func theRunningLoopJudgesEveryEventOnceAcrossManySmallBatchesAndARestart() async throws {
        let path = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
        var options = DetectionPipeline.Options()
        options.batchSize = 16  // many batches: reads, detection and commits overlap
        func pipeline() -> DetectionPipeline {
            DetectionPipeline(store: store, engine: TitleEngine(), incidents: HostCorrelator(), now: { 1_790_000_000_100 },
                              options: options, logger: Logger(label: "test"))
        }
        let events = (1...300).map { DetectionPipelineTests.event($0, kind: .event, title: $0 % 3 == 0 ? "evil \($0)" : "fine") }
        _ = try await store.append(Array(events[..<150]), fingerprints: Array(repeating: nil, count: 150), idempotencyKey: nil, answer: nil)
        let first = pipeline()
        try await first.start()
        try await first.drain()
        await first.stop()
        _ = try await store.append(Array(events[150...]), fingerprints: Array(repeating: nil, count: 150), idempotencyKey: nil, answer: nil)
        let second = pipeline()
        try await second.start()
        try await second.drain()
        await second.stop()
        var query = RecordQuery()
        query.limit = 1000
        #expect(try await store.detections(query).items.count == 100)
        #expect(try await store.checkpoint(DetectionPipeline.checkpointName) == store.lastEventSequence())
        await store.close()
    }
}

/// Delegates to a SQLite store; while `held`, a detection commit does not finish.
final class GatedCommitStore: DetectionStore {
    let inner: SQLiteStore
    let held = Mutex(false)
    let commitsStarted = Mutex(0)
    init(_ inner: SQLiteStore) { self.inner = inner }

    func commit(_ batch: DetectionBatch) async throws(StoreError) {
        commitsStarted.withLock { $0 += 1 }
        while held.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
        try await inner.commit(batch)
    }
    func events(afterSequence seq: Int64, limit: Int) async throws(StoreError) -> [SequencedEvent] {
        try await inner.events(afterSequence: seq, limit: limit)
    }
    func lastEventSequence() async throws(StoreError) -> Int64 { try await inner.lastEventSequence() }
    func recentAlerts(seenSince since: Int64, limit: Int) async throws(StoreError) -> [AlertOrigin] {
        try await inner.recentAlerts(seenSince: since, limit: limit)
    }
    func checkpoint(_ name: String) async throws(StoreError) -> Int64? { try await inner.checkpoint(name) }
    func detections(_ query: RecordQuery) async throws(StoreError) -> RecordPage { try await inner.detections(query) }
    func detection(id: String) async throws(StoreError) -> [UInt8]? { try await inner.detection(id: id) }
    func incidents(_ query: RecordQuery) async throws(StoreError) -> RecordPage { try await inner.incidents(query) }
    func incident(id: String) async throws(StoreError) -> [UInt8]? { try await inner.incident(id: id) }
    func incidents(updatedSince since: Int64) async throws(StoreError) -> [[UInt8]] { try await inner.incidents(updatedSince: since) }
    func saveIncidents(_ incidents: [IncidentRow], timeline: [TimelineRow]) async throws(StoreError) {
        try await inner.saveIncidents(incidents, timeline: timeline)
    }
    func timeline(incidentID: String) async throws(StoreError) -> [[UInt8]] { try await inner.timeline(incidentID: incidentID) }
    func putRecord(_ record: ManagedRecord) async throws(StoreError) { try await inner.putRecord(record) }
    func deleteRecord(kind: String, id: String) async throws(StoreError) -> Bool { try await inner.deleteRecord(kind: kind, id: id) }
    func records(kind: String) async throws(StoreError) -> [ManagedRecord] { try await inner.records(kind: kind) }
}

/// Records which events' findings were correlated.
final class RecordingCorrelator: IncidentCorrelator {
    let correlated = Mutex<Set<EventID>>([])
    func correlate(_ detection: inout Detection, now: Int64, into batch: inout DetectionBatch) {
        detection.incidentID = "inc_test"
        correlated.withLock { $0.formUnion(detection.finding.eventIDs) }
    }
    func countRepeats(of finding: AlertFinding, lastEventID: EventID, count: Int, now: Int64, into batch: inout DetectionBatch) {}
    func tick(now: Int64, flushAll: Bool, into batch: inout DetectionBatch) {}
    func finish(now: Int64, into batch: inout DetectionBatch) {}
}

@Suite struct SlowCommitTests {
    /// A commit that takes long (queued behind the indexer's transaction, say) must not hold
    /// back the events that arrive meanwhile: the loop judges and correlates them, and their
    /// results commit after it.
    @Test func eventsArrivingDuringASlowCommitAreJudgedWithoutWaitingForIt() async throws {
        let path = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: path))
        let gated = GatedCommitStore(store)
        let correlator = RecordingCorrelator()
        let pipeline = DetectionPipeline(store: gated, engine: TitleEngine(), incidents: correlator, now: { 1_790_000_000_100 },
                                         logger: Logger(label: "test"))
        try await pipeline.start()
        func waitUntil(_ condition: () -> Bool) async -> Bool {
            for _ in 0..<400 {
                if condition() { return true }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return condition()
        }
        gated.held.withLock { $0 = true }
        let first = DetectionPipelineTests.event(1, kind: .event, title: "evil one")
        _ = try await store.append([first], fingerprints: [nil], idempotencyKey: nil, answer: nil)
        pipeline.wake()
        #expect(await waitUntil { gated.commitsStarted.withLock { $0 } >= 1 })

        // The first commit is held; the second event is judged all the same.
        let second = DetectionPipelineTests.event(2, kind: .event, title: "evil two")
        _ = try await store.append([second], fingerprints: [nil], idempotencyKey: nil, answer: nil)
        pipeline.wake()
        #expect(await waitUntil { correlator.correlated.withLock { $0.contains(second.id) } })
        #expect(try await store.detections(RecordQuery()).items.isEmpty)

        gated.held.withLock { $0 = false }
        try await pipeline.drain()
        await pipeline.stop()
        #expect(try await store.detections(RecordQuery()).items.count == 2)
        #expect(try await store.checkpoint(DetectionPipeline.checkpointName) == store.lastEventSequence())
        await store.close()
    }
}

@Suite struct DetectorBatchPathTests {
    private static let rule = """
        title: Encoded PowerShell
        id: 5b8c9a1e-0000-4000-8000-000000000001
        status: test
        level: high
        logsource: {product: windows, category: process_creation}
        detection:
          selection:
            Image|endswith: '\\\\powershell.exe'
            CommandLine|contains: ' -enc '
          condition: selection
        """

    private static func runtime() async throws -> (DetectionRuntime, SQLiteStore, String) {
        let directory = NSTemporaryDirectory() + "batch-path-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        try rule.write(toFile: directory + "/rules/rule.yml", atomically: true, encoding: .utf8)
        let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: directory + "/data"))
        var settings = DetectionSettings()
        settings.rulesDirectory = directory + "/rules"
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let runtime = try await DetectionRuntime.open(store: store, settings: settings, now: { 1_790_000_000_000 }, logger: logger)
        return (runtime, store, directory)
    }

    /// `events` judged by the batch path and one by one, each on a fresh suite, so the stateful
    /// detectors start alike.
    private static func judgedBothWays(_ events: [Event]) async throws -> (batch: [[Finding]], single: [[Finding]]) {
        let (batchRuntime, batchStore, batchDirectory) = try await runtime()
        let batch = batchRuntime.suite.findings(forEvents: events)
        await batchStore.close()
        let (singleRuntime, singleStore, singleDirectory) = try await runtime()
        let single = events.map { singleRuntime.suite.findings(for: DetectionInput(event: $0)) }
        await singleStore.close()
        try? FileManager.default.removeItem(atPath: batchDirectory)
        try? FileManager.default.removeItem(atPath: singleDirectory)
        return (batch, single)
    }

    private static func event(_ n: Int) -> Event {
        let command = n % 7 == 0 ? "powershell.exe -enc SQBFAFgA" : "powershell.exe -File backup.ps1"
        let image = #"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"#
        let document = ##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"h\##(n % 5)"},"EventData":{"Image":"\##(image)","CommandLine":"\##(command)"}}}"##
        return Event(id: EventID(milliseconds: 1_790_000_000_000 + Int64(n)), timestamp: 1_790_000_000_000, receivedAt: 1_790_000_000_000,
                     source: .generic, kind: .event, dataset: "windows.sysmon_operational", hostName: "h\(n % 5)",
                     document: Array(document.utf8), original: [])
    }

    /// The pipeline's batch path (each event parsed where it is judged, both cores) finds what
    /// judging the events one by one finds, in the same order; each side on a fresh suite, so
    /// the stateful detectors start alike.
    @Test func theBatchPathFindsWhatOneByOneFinds() async throws {
        let events = (0..<300).map { Self.event($0) }
        let (batch, single) = try await Self.judgedBothWays(events)
        #expect(batch.map { $0.map(\.detectorID) } == single.map { $0.map(\.detectorID) })
        #expect(batch.flatMap { $0 }.filter { $0.type == .sigma }.count == 43)  // n % 7 == 0 below 300
    }

    /// The stateful detectors fed by the batch path (their inputs read in the parallel stage,
    /// applied in order, the parsed document dropped when they do not need it) fire exactly as
    /// one by one: a host's event rate against its baseline, and QTD-002 over query telemetry.
    @Test func statefulDetectorsFireAlikeOnBothPaths() async throws {
        let t0: Int64 = 1_790_000_000_000
        var events: [Event] = []
        func add(_ time: Int64, kind: EventKind, dataset: String, user: String? = nil, host: String? = nil, document: String) {
            events.append(Event(id: EventID(milliseconds: time), timestamp: time, receivedAt: time, source: .generic, kind: kind,
                                dataset: dataset, userName: user, hostName: host, document: Array(document.utf8), original: []))
        }
        // Two events a minute from one host for 20 minutes, then 40 in one minute.
        for minute in 0..<20 {
            for k in 0..<2 {
                add(t0 + Int64(minute) * 60_000 + Int64(k), kind: .event, dataset: "app", host: "busy",
                    document: #"{"host":{"name":"busy"},"message":"tick"}"#)
            }
        }
        for k in 0..<40 {
            add(t0 + 20 * 60_000 + Int64(k), kind: .event, dataset: "app", host: "busy", document: #"{"host":{"name":"busy"},"message":"burst"}"#)
        }
        // 80 misses on distinct keys, half a second apart, from one principal.
        for k in 0..<80 {
            add(t0 + 21 * 60_000 + Int64(k) * 500, kind: .telemetry, dataset: "mwrasp.query", user: "p",
                document: #"{"event":{"kind":"telemetry","dataset":"mwrasp.query"},"user":{"name":"p"},"query":{"key":"k\#(k)","hit":false,"keyspace_size":1048576}}"#)
        }
        let (batch, single) = try await Self.judgedBothWays(events)
        #expect(batch.map { $0.map(\.detectorID) } == single.map { $0.map(\.detectorID) })
        #expect(batch.map { $0.map(\.title) } == single.map { $0.map(\.title) })
        let fired = Set(batch.flatMap { $0 }.map(\.detectorID))
        #expect(fired.contains("BASELINE-HOST-EVENT-RATE"))
        #expect(fired.contains("QTD-002"))
    }
}
