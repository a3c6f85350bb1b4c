import Foundation
import Synchronization
import TestSupport
import Testing

/// 202 means durable: every event the server acknowledged is there after `kill -9` and a
/// restart on the same data directory.
@Suite struct DurabilityTests {
    @Test(.enabled(if: ServerProcess.isAvailable))
    func acknowledgedEvents_surviveKill9() async throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-durability")
        let server = try ServerProcess(dataDirectory: directory)
        let token = server.adminToken
        let port = server.port
        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)

        // Eight clients post as fast as they can on keep-alive connections.
        let clients = (0..<8).map { client in
            BlockingThread(name: "poster-\(client)") {
                guard let connection = try? BlockingTestClient(port: port) else { return }
                defer { connection.close() }
                var sequence = 0
                while !stop.load(ordering: .relaxed) {
                    sequence += 1
                    let body = #"{"title":"durability \#(client)-\#(sequence)","severity":"low","src_ip":"10.9.\#(client).\#(sequence % 250)"}"#
                    do {
                        try connection.send(post("/v1/events", token: token, body: body))
                        let response = try connection.readResponse(timeout: .seconds(5))
                        guard response.status == 202,
                              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                              let id = object["id"] as? String else { return }
                        acknowledged.withLock { $0.append(id) }
                    } catch {
                        return  // the server died mid-request: that event was never acknowledged
                    }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(1500))
        server.kill9()
        stop.store(true, ordering: .relaxed)
        for client in clients { _ = try? await client.value }

        let acked = acknowledged.withLock { $0 }
        #expect(acked.count > 50, "the clients got going before the kill")

        let restarted = try ServerProcess(dataDirectory: directory, adminToken: token)
        defer { restarted.stop() }
        let stored = Set(try await BlockingIO.run { try restarted.allEventIDs() })
        let lost = acked.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(acked.count) acknowledged events were lost")
    }
}
