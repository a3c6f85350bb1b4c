import Foundation
import Security
import TestSupport

/// The built `mwrasp` binary run as a subprocess on 127.0.0.1 port 0, with an admin token.
final class ServerProcess: @unchecked Sendable {
    static let binary = ExecutableTests.binary
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let process: Process
    let port: UInt16
    let adminToken: String
    let dataDirectory: String

    init(dataDirectory: String, adminToken: String = TokenSecret.generate().plaintext, extraArguments: [String] = [],
         environment: [String: String] = [:]) throws {
        self.dataDirectory = dataDirectory
        self.adminToken = adminToken
        let (process, port, _) = try ExecutableTests.launch(
            ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDirectory, "--log-level", "error"] + extraArguments,
            environment: ["MWRASP_ADMIN_TOKEN": adminToken].merging(environment) { _, new in new })
        self.process = process
        self.port = port
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// One request on a new connection; the status and body.
    func request(_ raw: String) throws -> TestResponse {
        let client = try BlockingTestClient(port: port)
        defer { client.close() }
        try client.send(raw)
        return try client.readResponse(timeout: .seconds(10))
    }

    /// Every event id the server lists, following the cursor.
    func allEventIDs(query: String = "") throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            var target = "/v1/events?limit=1000" + query
            if let cursor { target += "&cursor=\(cursor)" }
            let response = try request("GET \(target) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(adminToken)\r\n\r\n")
            guard response.status == 200,
                  let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
                throw TestSupportError.malformedResponse("GET /v1/events: \(response.status) \(response.bodyText)")
            }
            ids += (object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = object["next_cursor"] as? String
        } while cursor != nil
        return ids
    }
}

func post(_ path: String, token: String, body: String, headers: [String] = []) -> String {
    "POST \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
        + headers.map { $0 + "\r\n" }.joined() + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
}
