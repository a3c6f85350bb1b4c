import Foundation
import TestSupport
import Testing

/// The built `mwrasp` binary as an operator runs it: flags, environment, config file,
/// the listening line, SIGHUP and SIGTERM.
@Suite struct ExecutableTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/mwrasp").path

    /// Starts `mwrasp serve` and returns it with the port it printed.
    static func launch(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, UInt16, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var collected = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            collected += String(decoding: data, as: UTF8.self)
            if let range = collected.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let port = UInt16(collected[range].split(separator: ":").last!)!
                return (process, port, output)
            }
        }
        process.terminate()
        throw TestSupportError.timeout("no listening line from mwrasp: \(collected)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func serve_printsItsAddress_answers_reloadsOnSIGHUP_andExitsZeroOnSIGTERM() async throws {
        let dataDir = try TemporaryDirectories.make(prefix: "mwrasp-exec")
        let (process, port, _) = try Self.launch(["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--log-level", "error"])
        try await BlockingIO.run {
            let client = try BlockingTestClient(port: port)
            defer { client.close() }
            try client.send(get("/healthz"))
            #expect(try client.readResponse().status == 200)
        }
        kill(process.processIdentifier, SIGHUP)
        try await BlockingIO.run {
            let client = try BlockingTestClient(port: port)
            defer { client.close() }
            try client.send(get("/healthz"))
            #expect(try client.readResponse().status == 200, "SIGHUP does not stop the server")
        }
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: dataDir))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func configFile_andEnvironment_areHonoured_flagsWin() async throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-config")
        let config = directory + "/mwrasp.yaml"
        try """
        listen: 127.0.0.1:1
        log:
          level: error
        limits:
          max_body_bytes: 64
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let (process, port, _) = try Self.launch(
            ["serve", "--config", config, "--listen", "127.0.0.1:0"],
            environment: ["MWRASP_DATA_DIR": directory + "/data"])
        defer { process.terminate(); process.waitUntilExit() }
        try await BlockingIO.run {
            let client = try BlockingTestClient(port: port)
            defer { client.close() }
            try client.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n")
            #expect(try client.readResponse().status == 413, "the file's body limit applies")
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/data"), "the environment's data dir is used")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func badConfiguration_exitsNonZeroWithAReason() throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-badconfig")
        let config = directory + "/mwrasp.yaml"
        try "listen: 127.0.0.1:0\nlimts:\n  max_body_bytes: 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--config", config, "--data-dir", directory]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("limts.max_body_bytes"))
    }
}
