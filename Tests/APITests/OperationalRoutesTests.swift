import API
import HTTPCore
import Logging
import Testing
import WebServer

@Suite struct OperationalRoutesTests {
    private func respond(_ routes: OperationalRoutes, _ target: String) async throws -> Response {
        let harness = try await APITestHarness()
        let responder = try APIRouter.responder(operational: routes, environment: harness.environment,
                                                maxInflatedBodyBytes: 1 << 20, logger: Logger(label: "test"))
        let parts = target.split(separator: "?", maxSplits: 1)
        let head = HTTPRequestHead(method: .get, target: target, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
                                   version: .http1_1, headers: ["Host": "x"], keepAlive: true, expectsContinue: false, bodyLength: .none)
        let context = RequestContext(requestID: "r", logger: Logger(label: "test"), receivedAt: 0, prettyJSON: target.contains("pretty"))
        return await responder.respond(to: Request(head: head), context: context)
    }

    @Test func healthz_isOK() async throws {
        let response = try await respond(OperationalRoutes(readinessChecks: { [] }, renderMetrics: { [] }), "/healthz")
        #expect(response.status.code == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ok"}"#)
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test func readyz_is503NamingTheFailingCheck() async throws {
        let routes = OperationalRoutes(
            readinessChecks: { [ReadinessResult(name: "http", ready: true), ReadinessResult(name: "store", ready: false, detail: "disk full")] },
            renderMetrics: { [] })
        let response = try await respond(routes, "/readyz")
        #expect(response.status.code == 503)
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains(#""status":"not_ready""#))
        #expect(body.contains("disk full"))
    }

    @Test func readyz_is200WhenEveryCheckPasses_andPrettyIndents() async throws {
        let routes = OperationalRoutes(readinessChecks: { [ReadinessResult(name: "http", ready: true)] }, renderMetrics: { [] })
        let response = try await respond(routes, "/readyz?pretty")
        #expect(response.status.code == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\n  "))
    }

    @Test func metrics_isPrometheusText() async throws {
        let routes = OperationalRoutes(readinessChecks: { [] }, renderMetrics: { Array("# TYPE x counter\nx 1\n".utf8) })
        let response = try await respond(routes, "/metrics")
        #expect(response.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(String(decoding: response.body, as: UTF8.self) == "# TYPE x counter\nx 1\n")
    }
}
