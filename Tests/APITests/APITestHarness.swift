import API
import Foundation
import HTTPCore
import Ingestion
import Logging
import MWRASPCore
import Pipeline
import Security
import Storage
import TestSupport
import WebServer

/// The API's whole pipeline (middleware, routes, a real SQLite store in a temporary
/// directory) without a network: requests go straight to the responder.
final class APITestHarness: Sendable {
    let environment: APIEnvironment
    let responder: Responder
    let store: SQLiteStore
    let adminToken: String
    let ingestToken: String
    let responderToken: String
    let ticketingToken: String

    init(signingSecret: String? = nil, requireSignature: Bool = false, ratePerSecond: Double? = nil,
         clock: APIClock = .system, detection: DetectionSettings? = nil) async throws {
        let directory = try TemporaryDirectories.make(prefix: "mwrasp-api")
        store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: directory))
        let limiter = ratePerSecond.map { RateLimiter(ratePerSecond: $0, burst: Int($0)) }
        var environment = APIEnvironment(
            store: store, tokens: TokenRegistry(), rateLimiter: limiter,
            ingest: IngestSettings(fingerprinter: try Ingestion.Fingerprinter(),
                                   signature: signingSecret.map { WebhookSignature(secrets: [Array($0.utf8)]) },
                                   requireSignature: requireSignature),
            clock: clock)
        if let detection {
            // Not started: tests run the pipeline with `drain()`, which steps it in place.
            environment.detection = try await DetectionRuntime.open(
                store: store, settings: detection, now: clock.nowMilliseconds, logger: Logger(label: "test"))
        }
        self.environment = environment
        let tokens = TokenService(store: store, registry: environment.tokens, clock: clock)
        adminToken = try await tokens.create(name: "admin", role: .admin).secret.plaintext
        ingestToken = try await tokens.create(name: "siem", role: .ingest).secret.plaintext
        responderToken = try await tokens.create(name: "analyst", role: .responder).secret.plaintext
        ticketingToken = try await tokens.create(name: "tickets", role: .ticketing).secret.plaintext
        responder = try APIRouter.responder(
            operational: OperationalRoutes(readinessChecks: { [] }, renderMetrics: { [] }),
            environment: environment, maxInflatedBodyBytes: 10 << 20, logger: Logger(label: "test"))
    }

    /// Sends one request through the middleware and routes.
    func send(_ method: HTTPMethod, _ target: String, token: String? = nil, headers: [(String, String)] = [],
              body: [UInt8] = []) async -> Response {
        var fields = HTTPFields()
        fields.append(name: "Host", value: "test")
        if let token { fields.append(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { fields.append(name: name, value: value) }
        let head = HTTPRequestHead(method: method, target: target, version: .http1_1, headers: fields, keepAlive: true,
                                   expectsContinue: false, bodyLength: body.isEmpty ? .none : .fixed(body.count))
        var random = SystemRandomNumberGenerator()
        let context = RequestContext(requestID: String(random.next(), radix: 16), logger: Logger(label: "test"), receivedAt: 0,
                                     prettyJSON: false)
        return await responder.respond(to: Request(head: head, body: body), context: context)
    }

    func send(_ method: HTTPMethod, _ target: String, token: String? = nil, headers: [(String, String)] = [],
              json: String) async -> Response {
        await send(method, target, token: token, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }
}

extension Response {
    var text: String { String(decoding: body, as: UTF8.self) }

    var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}
