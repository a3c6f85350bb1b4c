import Foundation
import TestSupport
import Testing

/// The real Prometheus Alertmanager (Debian's prometheus-alertmanager) with MWRASP as its
/// webhook receiver: an alert posted to Alertmanager arrives as an event, and its
/// resolution follows.
@Suite struct AlertmanagerTests {
    static let alertmanager = "/usr/bin/prometheus-alertmanager"

    static func freePort() throws -> UInt16 {
        let listener = try LoopbackListener()
        defer { listener.close() }
        return listener.port
    }

    @Test(.enabled(if: ServerProcess.isAvailable && FileManager.default.isExecutableFile(atPath: alertmanager)))
    func alertmanagerDeliversFiringAndResolvedAlerts() async throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-alertmanager")
        let server = try ServerProcess(dataDirectory: directory + "/data")
        defer { server.stop() }
        let amPort = try Self.freePort()
        let config = """
            route:
              receiver: mwrasp
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: mwrasp
                webhook_configs:
                  - url: http://127.0.0.1:\(server.port)/v1/ingest/alertmanager
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials: \(server.adminToken)
            """
        try config.write(toFile: directory + "/alertmanager.yml", atomically: true, encoding: .utf8)
        let alertmanager = Process()
        alertmanager.executableURL = URL(fileURLWithPath: Self.alertmanager)
        alertmanager.arguments = [
            "--config.file=\(directory)/alertmanager.yml", "--storage.path=\(directory)/am",
            "--web.listen-address=127.0.0.1:\(amPort)", "--cluster.listen-address=",
        ]
        alertmanager.standardOutput = FileHandle.nullDevice
        alertmanager.standardError = FileHandle.nullDevice
        try alertmanager.run()
        defer { alertmanager.terminate(); alertmanager.waitUntilExit() }

        func postAlert(endsAt: String?) async throws {
            let ends = endsAt.map { #","endsAt":"\#($0)""# } ?? ""
            let body = #"[{"labels":{"alertname":"MWRASPIntegration","severity":"critical","instance":"db-01:9100"},"annotations":{"summary":"Disk full on db-01"},"startsAt":"2026-01-01T00:00:00Z"\#(ends)}]"#
            let raw = "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let status = try? await BlockingIO.run({ () -> Int in
                    let client = try BlockingTestClient(port: amPort)
                    defer { client.close() }
                    try client.send(raw)
                    return try client.readResponse().status
                }), status == 200 { return }
                try await Task.sleep(for: .milliseconds(200))  // Alertmanager still starting
            }
            throw TestSupportError.timeout("Alertmanager did not take the alert")
        }

        func waitForEvents(_ count: Int) async throws -> [String] {
            let deadline = Date().addingTimeInterval(30)
            var ids: [String] = []
            while Date() < deadline {
                ids = try await BlockingIO.run { try server.allEventIDs(query: "&source=alertmanager") }
                if ids.count >= count { return ids }
                try await Task.sleep(for: .milliseconds(250))
            }
            return ids
        }

        try await postAlert(endsAt: nil)
        #expect(try await waitForEvents(1).count >= 1, "the firing alert arrived")
        try await postAlert(endsAt: "2026-01-01T00:05:00Z")
        #expect(try await waitForEvents(2).count >= 2, "the resolution arrived")
        let listing = try await BlockingIO.run {
            try server.request("GET /v1/events?source=alertmanager HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.adminToken)\r\n\r\n")
        }
        #expect(listing.bodyText.contains("resolved"))
        #expect(listing.bodyText.contains("db-01"))
    }
}
