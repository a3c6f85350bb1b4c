import Foundation
import MWRASPCore
@testable import Storage

/// A fresh temporary data directory, removed when the test is done.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "storage-tests-\(UUID().uuidString)"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Builds events with every field set, distinct per `n`.
enum Sample {
    static let base: Int64 = 1_790_000_000_000

    static func event(_ n: Int, at milliseconds: Int64? = nil, kind: EventKind = .alert, source: EventSource = .generic,
                      externalID: String? = nil, severity: Severity? = .medium, status: String? = nil,
                      sourceIP: String? = nil, hostName: String? = nil, userName: String? = nil,
                      destinationIP: String? = nil, dataset: String? = "test.alert", timestamp: Int64? = nil) -> Event {
        let received = milliseconds ?? base + Int64(n)
        return Event(
            id: EventID(milliseconds: received), timestamp: timestamp ?? received - 5, receivedAt: received,
            source: source, kind: kind, dataset: dataset, severity: severity, title: "alert \(n)",
            sourceIP: sourceIP ?? "10.0.0.\(n % 250)", destinationIP: destinationIP ?? "192.168.1.\(n % 250)",
            userName: userName ?? "user\(n)", hostName: hostName ?? "host\(n)", externalID: externalID, status: status,
            document: Array("{\"n\":\(n),\"bytes\":\"\u{00E9}\"}".utf8), original: [0, 1, 2, 255, UInt8(n % 256)])
    }

    static func store(_ directory: borrowing TemporaryDirectory,
                      _ configure: (inout StoreConfiguration) -> Void = { _ in }) throws -> SQLiteStore {
        var configuration = StoreConfiguration(dataDirectory: directory.path)
        configure(&configuration)
        return try SQLiteStore(configuration: configuration)
    }
}

extension SQLiteStore {
    /// Waits until `count` appends are queued behind the held writer (`pauseWriter`). A fixed
    /// sleep instead was a race on a loaded machine: an append task not yet started lets a
    /// later one in first, or finds the queue still empty.
    func waitForPendingAppends(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while pendingAppends < count {
            guard ContinuousClock.now < deadline else { throw StoreError.database("timed out waiting for \(count) queued appends") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Appends without dedup or idempotency.
    @discardableResult
    func append(_ events: [Event]) async throws(StoreError) -> AppendOutcome {
        try await append(events, fingerprints: events.map { _ in nil }, idempotencyKey: nil, answer: nil)
    }
}
