import API
import HTTPCore
import Synchronization
import Logging
import NetIO
import TestSupport
import WebServer

/// The real server on 127.0.0.1 port 0 with the API's routes plus a few test routes.
final class TestServer: Sendable {
    let server: HTTPServer
    let port: UInt16
    let tlsPort: UInt16?
    /// How many times `GET /counted` has run.
    let countedRequests: Counter

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    static func start(tls: TLSConfiguration? = nil, configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> TestServer {
        var listeners = [HTTPServer.Listener(address: SocketAddress(host: "127.0.0.1", port: 0))]
        if let tls { listeners.append(HTTPServer.Listener(address: SocketAddress(host: "127.0.0.1", port: 0), tls: tls)) }
        var configuration = HTTPServer.Configuration(listeners: listeners)
        configuration.loopCount = 2
        configuration.shutdownGracePeriod = .seconds(10)
        configure(&configuration)
        var routes = APIRoutes()
        OperationalRoutes(readinessChecks: { [] }, renderMetrics: { [] }).register(into: &routes)
        let counter = Counter()
        registerTestRoutes(into: &routes, counter: counter)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let responder = Responder(router: try routes.router.build(), maxInflatedBodyBytes: configuration.limits.maxBodyBytes, logger: logger)
        let server = try HTTPServer(configuration: configuration, responder: responder, logger: logger)
        let bound = try server.start()
        return TestServer(server: server, port: UInt16(bound[0].address.port), tlsPort: bound.count > 1 ? UInt16(bound[1].address.port) : nil,
                          countedRequests: counter)
    }

    private init(server: HTTPServer, port: UInt16, tlsPort: UInt16?, countedRequests: Counter) {
        self.server = server
        self.port = port
        self.tlsPort = tlsPort
        self.countedRequests = countedRequests
    }

    func stop() {
        server.shutdown()
    }

    func client() throws -> BlockingTestClient {
        try BlockingTestClient(port: port)
    }

    private static func registerTestRoutes(into builder: inout APIRoutes, counter: Counter) {
        let sixtyFourKiB = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        builder.addInline(.get, "/counted", access: .open) { _, _ in
            counter.increment()
            return Response(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: sixtyFourKiB)
        }
        builder.add(.post, "/echo", access: .open) { request, _ in
            var headers = HTTPFields()
            headers.append(name: "Content-Type", value: "application/octet-stream")
            headers.append(name: "X-Body-Length", value: String(request.body.count))
            return Response(status: .ok, headers: headers, body: request.body)
        }
        builder.add(.get, "/slow", access: .open) { request, _ in
            let millis = Int(request.query("ms") ?? "100") ?? 100
            try await Task.sleep(for: .milliseconds(millis))
            return Response.text("slept \(millis) ms")
        }
        builder.addInline(.get, "/big", access: .open) { _, _ in
            Response.text(String(repeating: "MWRASP compresses repetitive text. ", count: 2000))
        }
    }
}

/// A plain GET request in wire format.
func get(_ path: String, headers: [String] = []) -> String {
    "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
}
