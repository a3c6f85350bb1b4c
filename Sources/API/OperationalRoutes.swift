import HTTPCore
import WebServer

/// The result of one readiness check (`GET /readyz`).
public struct ReadinessResult: Sendable, Codable, Equatable {
    public var name: String
    public var ready: Bool
    public var detail: String?

    public init(name: String, ready: Bool, detail: String? = nil) {
        self.name = name
        self.ready = ready
        self.detail = detail
    }
}

/// Liveness, readiness and Prometheus metrics: the endpoints operators and orchestrators
/// poll. Liveness is inline and allocation-light because load balancers hit it constantly.
public struct OperationalRoutes: Sendable {
    /// Each check answers quickly (store reachable, catalog loaded...).
    public var readinessChecks: @Sendable () async -> [ReadinessResult]
    /// Prometheus text exposition format 0.0.4 of every metric.
    public var renderMetrics: @Sendable () -> [UInt8]

    public init(readinessChecks: @escaping @Sendable () async -> [ReadinessResult],
                renderMetrics: @escaping @Sendable () -> [UInt8]) {
        self.readinessChecks = readinessChecks
        self.renderMetrics = renderMetrics
    }

    static let healthBody: [UInt8] = Array(#"{"status":"ok"}"#.utf8)
    static let healthBodyPretty: [UInt8] = Array("{\n  \"status\" : \"ok\"\n}\n".utf8)

    public func register(into routes: inout APIRoutes) {
        routes.addInline(.get, "/healthz", access: .open) { _, context in
            Response.json(bytes: context.prettyJSON ? Self.healthBodyPretty : Self.healthBody)
        }
        let readinessChecks = self.readinessChecks
        routes.add(.get, "/readyz", access: .open) { _, context in
            let checks = await readinessChecks()
            let ready = checks.allSatisfy(\.ready)
            return try JSONResponse.make(
                ReadinessReport(status: ready ? "ready" : "not_ready", checks: checks),
                status: ready ? .ok : .serviceUnavailable, context: context)
        }
        let renderMetrics = self.renderMetrics
        routes.add(.get, "/metrics", access: .open) { _, _ in
            Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: renderMetrics())
        }
    }
}

struct ReadinessReport: Codable {
    var status: String
    var checks: [ReadinessResult]
}
