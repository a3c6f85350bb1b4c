import Detection
import Dispatch
import Foundation
import Ingestion
import Logging
import MWRASPCore
import Pipeline
import Storage

// The detection benchmark (`make bench` runs it; alone: swift run -c release DetectionBench).
// With every SigmaHQ rule of testdata loaded and 100,000 IOCs:
//   1. detector throughput: events/s through every detector, 1 thread and 2 threads;
//   2. pipeline throughput: events/s through the whole pipeline (read from the store, detect,
//      correlate into incidents, commit detections + incidents + checkpoint);
//   3. latency: p50/p99 detection latency (ingest to detection) with 50,000 events/s offered;
//   4. the seed's detector time budgets: QTD-001 detect + validate, COMP-001 on a large event.
// Figures go to stdout as `key value` lines after a human-readable report.

let arguments = CommandLine.arguments
let testdata = ProcessInfo.processInfo.environment["MWRASP_TESTDATA"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/testdata").standardized.path
let eventCount = Int(ProcessInfo.processInfo.environment["BENCH_EVENTS"] ?? "") ?? 200_000
let offeredRate = Int(ProcessInfo.processInfo.environment["BENCH_OFFERED_RATE"] ?? "") ?? 50_000
let offeredSeconds = Int(ProcessInfo.processInfo.environment["BENCH_OFFERED_SECONDS"] ?? "") ?? 6
/// Regression samples per 100 events (each matches several rules: a true-positive rate far above
/// a real feed's). Default 1.
let samplesPerHundred = Int(ProcessInfo.processInfo.environment["BENCH_SAMPLES_PERCENT"] ?? "") ?? 1
/// BENCH_PHASES=2 runs only phase 2, etc. (for profiling one phase).
let phases = Set((ProcessInfo.processInfo.environment["BENCH_PHASES"] ?? "1234").compactMap { Int(String($0)) })
var logger = Logger(label: "bench")
logger.logLevel = .warning

func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
/// CPU time (user + system) of the whole process so far, in microseconds.
func processCPUMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}
func seconds(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

func openRuntime(_ directory: String) async throws -> (SQLiteStore, DetectionRuntime) {
    var configuration = StoreConfiguration(dataDirectory: directory)
    if let mib = ProcessInfo.processInfo.environment["BENCH_RECENT_MIB"].flatMap(Int.init) { configuration.recentEventBytes = mib << 20 }
    let store = try SQLiteStore(configuration: configuration)
    var settings = DetectionSettings()
    settings.rulesDirectory = testdata + "/sigma/rules"
    let runtime = try await DetectionRuntime.open(store: store, settings: settings, now: now, logger: logger)
    let entries = BenchEvents.iocEntries().map { IOCEntry(value: $0.1, kind: IOCKind(rawValue: $0.0)!) }
    _ = try await runtime.iocs.put(IOCList(id: "bench", name: "bench feed", entries: entries), createdAt: now())
    // A server builds these plans in the background in its first seconds; wait for them here.
    runtime.suite.currentRules.sigma.preparePlans()
    return (store, runtime)
}

/// Alerts are fingerprinted for dedup as the ingest endpoints do.
func fingerprints(_ events: [Event]) -> [String?] {
    let fingerprinter = try! Fingerprinter()
    return events.map { $0.kind == .alert ? fingerprinter.fingerprint($0) : nil }
}

func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "mwrasp-detection-bench-\(UUID().uuidString)"
}


/// 1. Detectors alone, 1 and 2 threads.
func detectorPhase(_ events: [Event]) async throws -> (Double, Double, Double) {
    let directory = temporaryDirectory()
    let (store, runtime) = try await openRuntime(directory)
    print(runtime.rules.report.summaryLine)
    let suite = runtime.suite
    for event in events.prefix(20_000) { _ = suite.findings(for: DetectionInput(event: event)) }  // warm caches, build plans
    var start = DispatchTime.now()
    var findings = 0
    for event in events { findings += suite.findings(for: DetectionInput(event: event)).count }
    let oneThread = Double(events.count) / seconds(start)
    print(String(format: "detectors, 1 thread: %.0f events/s (%d findings)", oneThread, findings))
    var byType: [String: Int] = [:]
    for event in events.prefix(10_000) {
        for finding in suite.findings(for: DetectionInput(event: event)) {
            byType[finding.type.rawValue, default: 0] += 1
        }
    }
    print("  findings by type in the first 10,000 events: \(byType.sorted { $0.key < $1.key })")
    start = DispatchTime.now()
    let half = events.count / 2
    DispatchQueue.concurrentPerform(iterations: 2) { part in
        for event in events[(part * half)..<(part == 0 ? half : events.count)] { _ = suite.findings(for: DetectionInput(event: event)) }
    }
    let twoThreads = Double(events.count) / seconds(start)
    print(String(format: "detectors, 2 threads: %.0f events/s", twoThreads))
    // As the pipeline calls them: batches of 2,048, inputs parsed and stateless detectors run
    // on both cores, rules and IOC matcher taken once per batch, stateful detectors in order.
    start = DispatchTime.now()
    for chunk in stride(from: 0, to: events.count, by: 2_048) {
        _ = suite.findings(forEvents: Array(events[chunk..<min(events.count, chunk + 2_048)]))
    }
    let batchPath = Double(events.count) / seconds(start)
    print(String(format: "detectors, batch path (both cores, as the pipeline calls them): %.0f events/s", batchPath))
    await runtime.stop()
    await store.close()
    try? FileManager.default.removeItem(atPath: directory)
    return (oneThread, twoThreads, batchPath)
}

/// 2. The whole pipeline over a backlog in the store.
func pipelinePhase(_ events: [Event]) async throws -> Double {
    let directory = temporaryDirectory()
    let (store, runtime) = try await openRuntime(directory)
    for chunk in stride(from: 0, to: events.count, by: 10_000) {
        let slice = Array(events[chunk..<min(events.count, chunk + 10_000)])
        _ = try await store.append(slice, fingerprints: fingerprints(slice), idempotencyKey: nil, answer: nil)
    }
    // The backlog is in the store: acknowledged appends are indexed into SQLite right behind
    // the log, and this phase measures detection, not that indexing.
    _ = try await store.eventCount()
    // The Sigma engine builds each logsource's plan on its first event (tens of ms each): done
    // before timing, as a server that has run for a while has done it.
    for event in events.prefix(2_000) { _ = runtime.suite.findings(for: DetectionInput(event: event)) }
    // The server's loop (stages overlapped), over the whole backlog.
    let start = DispatchTime.now()
    let cpuStart = processCPUMicroseconds()
    try await runtime.start()
    try await runtime.pipeline.drain()
    let rate = Double(events.count) / seconds(start)
    let cpuPerEvent = (processCPUMicroseconds() - cpuStart) / Double(events.count)
    print(String(format: "pipeline (store -> detectors -> incidents -> commit): %.0f events/s, %.1f us CPU per event", rate, cpuPerEvent))
    let times = runtime.pipeline.stageTimes
    print(String(format: "  wall time: read %.2f s, detect + correlate %.2f s (detectors %.2f s), commit %.2f s",
                 Double(times.read) / 1e9, Double(times.detect) / 1e9, Double(times.detectors) / 1e9, Double(times.commit) / 1e9))
    print(String(format: "  of which correlation %.2f s, repeats %.2f s; %d findings",
                 Double(times.correlate) / 1e9, Double(times.repeats) / 1e9, times.findings))
    let sizes = runtime.incidents.book.sizes
    print("  incidents in memory: \(sizes.incidents), entity index postings: \(sizes.postings)")
    await runtime.stop()
    await store.close()
    try? FileManager.default.removeItem(atPath: directory)
    return rate
}

/// 3. Latency with a steady offered load: every 10 ms, rate/100 events received "now" are
/// committed to the store; the pipeline runs as in the server (woken per commit).
func latencyPhase(samples: [[UInt8]]) async throws -> (offered: Double, p50: Double, p99: Double) {
    let directory = temporaryDirectory()
    let (store, runtime) = try await openRuntime(directory)
    try await runtime.start()
    let perTick = max(1, offeredRate / 100)
    let ticks = offeredSeconds * 100
    // Normalized up front; each tick stamps its events with fresh ids and the receive time, so
    // the offering loop costs little beside the store's own work.
    let offeredEvents = BenchEvents.normalize(BenchEvents.mix(count: perTick * 100, samples: samples, samplesPerHundred: samplesPerHundred),
                                              receivedAt: now())
    // As in phase 2: the Sigma engine's per-logsource plans are built before timing.
    for event in offeredEvents.prefix(2_000) { _ = runtime.suite.findings(for: DetectionInput(event: event)) }
    let loadStart = DispatchTime.now()
    let loadStartMilliseconds = now()
    let cpuStart = processCPUMicroseconds()
    var offered = 0
    for tick in 0..<ticks {
        let due = loadStart.uptimeNanoseconds + UInt64(tick) * 10_000_000
        let current = DispatchTime.now().uptimeNanoseconds
        if due > current { try await Task.sleep(nanoseconds: due - current) }
        let received = now()
        let batch = (0..<perTick).map { n -> Event in
            var event = offeredEvents[(tick * perTick + n) % offeredEvents.count]
            event.id = EventID(milliseconds: received)
            event.receivedAt = received
            return event
        }
        _ = try await store.append(batch, fingerprints: fingerprints(batch), idempotencyKey: nil, answer: nil)
        runtime.pipeline.wake()
        offered += batch.count
    }
    let achieved = Double(offered) / seconds(loadStart)
    try await runtime.pipeline.drain()
    // Everything in the process: the offering loop, the store's writer and indexer, the pipeline.
    let cpuPerEvent = (processCPUMicroseconds() - cpuStart) / Double(offered)
    var latencies: [Double] = []
    // Per second of the run (by detection time), to tell a burst from a steady state.
    var bySecond: [Int: [Double]] = [:]
    let timeFormat = ISO8601DateFormatter()
    timeFormat.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    var query = RecordQuery()
    query.limit = 1000
    while true {
        let page = try await store.detections(query)
        for item in page.items {
            if let object = try JSONSerialization.jsonObject(with: Data(item)) as? [String: Any],
               let latency = object["latency_seconds"] as? Double {
                latencies.append(latency)
                if let text = object["detected_at"] as? String, let date = timeFormat.date(from: text) {
                    let second = Int((Int64(date.timeIntervalSince1970 * 1000) - loadStartMilliseconds) / 1000)
                    bySecond[second, default: []].append(latency)
                }
            }
        }
        guard let next = page.nextCursor else { break }
        query.cursor = next
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print(String(format: "offered %.0f events/s for %d s: %d detections, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.1f us CPU per event (store, detection, offering)",
                 achieved, offeredSeconds, latencies.count, percentile(0.5) * 1000, percentile(0.99) * 1000, (latencies.last ?? 0) * 1000, cpuPerEvent))
    let seconds = bySecond.keys.sorted().map { second -> String in
        let sorted = bySecond[second]!.sorted()
        return "\(second): \(sorted.count) p99 \(Int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] * 1000)) ms"
    }
    print("  by second of the run: " + seconds.joined(separator: "; "))
    await runtime.stop()
    await store.close()
    try? FileManager.default.removeItem(atPath: directory)
    return (achieved, percentile(0.5) * 1000, percentile(0.99) * 1000)
}

let samples = try BenchEvents.regressionSamples(testdata: testdata)
let events = BenchEvents.normalize(BenchEvents.mix(count: eventCount, samples: samples, samplesPerHundred: samplesPerHundred),
                                   receivedAt: now())
print("events: \(events.count) (\(samplesPerHundred)% SigmaHQ regression samples from \(samples.count) files, 40% SIEM alerts, 2% telemetry, the rest benign Sysmon process creations)")
if phases.contains(1) {
    let (one, two, batch) = try await detectorPhase(events)
    print("RESULT detectors_1_thread \(Int(one))")
    print("RESULT detectors_2_threads \(Int(two))")
    print("RESULT detectors_batch \(Int(batch))")
}
if phases.contains(2) {
    print("RESULT pipeline \(Int(try await pipelinePhase(events)))")
}
if phases.contains(3) {
    let result = try await latencyPhase(samples: samples)
    print("RESULT offered \(Int(result.offered))")
    print(String(format: "RESULT latency_p50_ms %.1f", result.p50))
    print(String(format: "RESULT latency_p99_ms %.1f", result.p99))
}
if phases.contains(4) {
    for result in try budgetPhase() {
        print("\(result.name): " + String(format: "p50 %.1f us, p99 %.1f us per event (budget %.0f ms)", result.p50Microseconds,
                                           result.p99Microseconds, result.budgetMilliseconds))
        print("RESULT budget_\(result.name)_p99_us " + String(format: "%.1f", result.p99Microseconds))
    }
}
