import Foundation
import MWRASPCore
import Storage

// The store alone, without HTTP or parsing: how fast `SQLiteStore.append` acknowledges bulk
// batches (durable in the event log) and how soon SQLite has indexed them.
//
//   swift run -c release StorageBench [data-dir] [batches] [events-per-batch]
//
// Events are ~600-byte alerts shaped like bench/wrk/post_bulk.lua's (normalized document
// ~700 bytes, original ~600), each with a fingerprint; 5,000 distinct fingerprints, so most
// events repeat an alert.

let arguments = CommandLine.arguments
let directory = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory() + "mwrasp-storage-bench"
let batches = arguments.count > 2 ? Int(arguments[2]) ?? 30 : 30
let perBatch = arguments.count > 3 ? Int(arguments[3]) ?? 10_000 : 10_000

try? FileManager.default.removeItem(atPath: directory)
let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: directory))
let document = Array(String(repeating: "d", count: 700).utf8)
let original = Array(String(repeating: "o", count: 600).utf8)

func batch(_ round: Int) -> ([Event], [String?]) {
    var generator = SystemRandomNumberGenerator()
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    var events: [Event] = []
    var fingerprints: [String?] = []
    events.reserveCapacity(perBatch)
    for index in 0..<perBatch {
        events.append(Event(
            id: EventID(milliseconds: now, using: &generator), timestamp: now, receivedAt: now, source: .generic, kind: .alert,
            dataset: "suricata.alert", severity: .high, title: "ET POLICY outbound SSH \(index % 97)",
            sourceIP: "10.20.\(index / 250 % 250).\(index % 250)", destinationIP: "203.0.113.77", userName: "svc-backup",
            hostName: "web-prod-03", document: document, original: original))
        fingerprints.append("fp-\((round * perBatch + index) % 5_000)")
    }
    return (events, fingerprints)
}

/// User + system CPU seconds of the whole process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let prepared = (0..<batches).map(batch)
let cpuStart = cpuSeconds()
let start = Date()
/// Batches the store turned away (503 over HTTP: the indexer is a budget behind) and sent again,
/// as a well-behaved sender would after a short pause.
var overloadedRetries = 0
for (events, fingerprints) in prepared {
    while true {
        do {
            _ = try await store.append(events, fingerprints: fingerprints, idempotencyKey: nil, answer: nil)
            break
        } catch {
            guard case StoreError.overloaded = error else { throw error }
            overloadedRetries += 1
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
let acknowledged = Date().timeIntervalSince(start)
_ = try await store.eventCount()  // returns once everything acknowledged is indexed
let indexed = Date().timeIntervalSince(start)
let cpu = cpuSeconds() - cpuStart
let total = batches * perBatch
print("store alone, \(total) events in batches of \(perBatch), one caller:")
print("  acknowledged (durable in the log): \(Int(Double(total) / acknowledged)) events/s")
print("  indexed into SQLite:               \(Int(Double(total) / indexed)) events/s")
print("  CPU (writer + indexer + caller):    \(String(format: "%.2f", cpu * 1e6 / Double(total))) µs per event")
if overloadedRetries > 0 { print("  batches refused as overloaded and sent again after 20 ms: \(overloadedRetries)") }
await store.close()
try? FileManager.default.removeItem(atPath: directory)
