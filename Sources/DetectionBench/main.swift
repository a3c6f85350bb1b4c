import Detection
import Dispatch
import Foundation
import Logging
import MWRASPCore
import Pipeline
import Storage

// The detection benchmark (`make bench` runs it; alone: swift run -c release DetectionBench).
// With every SigmaHQ rule of testdata loaded and 100,000 IOCs:
//   1. detector throughput: events/s through every detector, 1 thread and 2 threads;
//   2. pipeline throughput: events/s through the whole pipeline (read from the store, detect,
//      correlate into incidents, commit detections + incidents + checkpoint);
//   3. latency: p50/p99 detection latency (ingest to detection) with 50,000 events/s offered.
// Figures go to stdout as `key value` lines after a human-readable report.

let arguments = CommandLine.arguments
let testdata = ProcessInfo.processInfo.environment["MWRASP_TESTDATA"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/testdata").standardized.path
let eventCount = Int(ProcessInfo.processInfo.environment["BENCH_EVENTS"] ?? "") ?? 200_000
let offeredRate = Int(ProcessInfo.processInfo.environment["BENCH_OFFERED_RATE"] ?? "") ?? 50_000
let offeredSeconds = Int(ProcessInfo.processInfo.environment["BENCH_OFFERED_SECONDS"] ?? "") ?? 6
var logger = Logger(label: "bench")
logger.logLevel = .warning

func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
func seconds(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

func openRuntime(_ directory: String) async throws -> (SQLiteStore, DetectionRuntime) {
    let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: directory))
    var settings = DetectionSettings()
    settings.rulesDirectory = testdata + "/sigma/rules"
    let runtime = try await DetectionRuntime.open(store: store, settings: settings, now: now, logger: logger)
    let entries = BenchEvents.iocEntries().map { IOCEntry(value: $0.1, kind: IOCKind(rawValue: $0.0)!) }
    _ = try await runtime.iocs.put(IOCList(id: "bench", name: "bench feed", entries: entries), createdAt: now())
    return (store, runtime)
}

func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "mwrasp-detection-bench-\(UUID().uuidString)"
}

let samples = try BenchEvents.regressionSamples(testdata: testdata)
let bodies = BenchEvents.mix(count: eventCount, samples: samples)
let events = BenchEvents.normalize(bodies, receivedAt: now())
print("events: \(events.count) (\(samples.count) regression samples in the rotation)")

// 1. Detectors alone.
let directory1 = temporaryDirectory()
let (store1, runtime1) = try await openRuntime(directory1)
print(runtime1.rules.report.summaryLine)
let suite = runtime1.suite
for event in events.prefix(20_000) { _ = suite.findings(for: DetectionInput(event: event)) }  // warm caches
var start = DispatchTime.now()
var findings = 0
for event in events { findings += suite.findings(for: DetectionInput(event: event)).count }
let oneThread = Double(events.count) / seconds(start)
print(String(format: "detectors, 1 thread: %.0f events/s (%d findings)", oneThread, findings))
start = DispatchTime.now()
let half = events.count / 2
DispatchQueue.concurrentPerform(iterations: 2) { part in
    for event in events[(part * half)..<(part == 0 ? half : events.count)] { _ = suite.findings(for: DetectionInput(event: event)) }
}
let twoThreads = Double(events.count) / seconds(start)
print(String(format: "detectors, 2 threads: %.0f events/s", twoThreads))
await runtime1.stop()
await store1.close()
try? FileManager.default.removeItem(atPath: directory1)

// 2. The whole pipeline over a backlog in the store.
let directory2 = temporaryDirectory()
let (store2, runtime2) = try await openRuntime(directory2)
for chunk in stride(from: 0, to: events.count, by: 10_000) {
    let slice = Array(events[chunk..<min(events.count, chunk + 10_000)])
    _ = try await store2.append(slice, fingerprints: slice.map { _ in nil }, idempotencyKey: nil, answer: nil)
}
start = DispatchTime.now()
try await runtime2.pipeline.drain()
let pipelineRate = Double(events.count) / seconds(start)
let detections2 = try await store2.detections(RecordQuery()).items.count
print(String(format: "pipeline (store -> detectors -> incidents -> commit): %.0f events/s", pipelineRate))
await runtime2.stop()
await store2.close()
try? FileManager.default.removeItem(atPath: directory2)
_ = detections2

// 3. Latency with a steady offered load: every 10 ms, rate/100 events received "now" are
// committed to the store; the pipeline runs as in the server (woken per commit).
let directory3 = temporaryDirectory()
let (store3, runtime3) = try await openRuntime(directory3)
try await runtime3.start()
let perTick = max(1, offeredRate / 100)
let ticks = offeredSeconds * 100
let offeredBodies = BenchEvents.mix(count: perTick * 100, samples: samples)
let loadStart = DispatchTime.now()
var offered = 0
for tick in 0..<ticks {
    let due = loadStart.uptimeNanoseconds + UInt64(tick) * 10_000_000
    let current = DispatchTime.now().uptimeNanoseconds
    if due > current { try await Task.sleep(nanoseconds: due - current) }
    let slice = (0..<perTick).map { offeredBodies[(tick * perTick + $0) % offeredBodies.count] }
    let batch = BenchEvents.normalize(slice, receivedAt: now())
    _ = try await store3.append(batch, fingerprints: batch.map { _ in nil }, idempotencyKey: nil, answer: nil)
    runtime3.pipeline.wake()
    offered += batch.count
}
let achieved = Double(offered) / seconds(loadStart)
try await runtime3.pipeline.drain()
var latencies: [Double] = []
var query = RecordQuery()
query.limit = 1000
while true {
    let page = try await store3.detections(query)
    for item in page.items {
        if let object = try JSONSerialization.jsonObject(with: Data(item)) as? [String: Any], let latency = object["latency_seconds"] as? Double {
            latencies.append(latency)
        }
    }
    guard let next = page.nextCursor else { break }
    query.cursor = next
}
latencies.sort()
let sortedLatencies = latencies
@MainActor func percentile(_ p: Double) -> Double {
    sortedLatencies.isEmpty ? 0 : sortedLatencies[min(sortedLatencies.count - 1, Int(Double(sortedLatencies.count) * p))]
}
print(String(format: "offered %.0f events/s for %d s: %d detections, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
             achieved, offeredSeconds, latencies.count, percentile(0.5) * 1000, percentile(0.99) * 1000, (latencies.last ?? 0) * 1000))
await runtime3.stop()
await store3.close()
try? FileManager.default.removeItem(atPath: directory3)

print("RESULT detectors_1_thread \(Int(oneThread))")
print("RESULT detectors_2_threads \(Int(twoThreads))")
print("RESULT pipeline \(Int(pipelineRate))")
print("RESULT offered \(Int(achieved))")
print(String(format: "RESULT latency_p50_ms %.1f", percentile(0.5) * 1000))
print(String(format: "RESULT latency_p99_ms %.1f", percentile(0.99) * 1000))
