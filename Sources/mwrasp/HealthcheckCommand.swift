import ArgumentParser
import Glibc
import NetIO

/// `mwrasp healthcheck`: the Docker HEALTHCHECK without curl in the image. Exits 0 when the
/// URL answers 200, 1 otherwise.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck", abstract: "Exit 0 when the server's health endpoint answers 200.")

    @Option(name: .long, help: "Plain-HTTP URL to probe.") var url: String = "http://127.0.0.1:8080/healthz"
    @Option(name: .long, help: "Seconds before giving up.") var timeout: Int = 5

    func run() throws {
        guard url.hasPrefix("http://") else { throw ValidationError("only http:// URLs are supported") }
        let rest = url.dropFirst("http://".count)
        let hostPort = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(hostPort.count)
        guard let address = SocketAddress(parsing: String(hostPort)) else {
            throw ValidationError("\(hostPort) is not HOST:PORT")
        }
        let status = probe(address: address, path: path.isEmpty ? "/" : String(path))
        if status != 200 {
            print("unhealthy: \(status.map { "status \($0)" } ?? "no answer")")
            throw ExitCode(1)
        }
        print("healthy")
    }

    private func probe(address: SocketAddress, path: String) -> Int? {
        guard let fd = try? Socket.connectBlocking(to: address, timeoutSeconds: timeout) else { return nil }
        defer { Socket.close(fd) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 12 else { return nil }
        // "HTTP/1.1 200 ..."
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }
}
