import HTTPCore
import Ingestion
import MWRASPCore
import Security
import Storage
import WebServer

/// Splunk HTTP Event Collector, answering exactly as Splunk does so that logging handlers
/// and forwarders that speak HEC work unchanged: `Authorization: Splunk <token>`, and
/// `{"text":...,"code":...}` bodies with Splunk's codes.
struct HECRoute {
    let pipeline: IngestPipeline

    func register(into routes: inout APIRoutes) {
        let pipeline = self.pipeline
        routes.add(.post, "/services/collector/event", access: .handlerAuthenticates) { request, context in
            guard let authorization = request.headers["Authorization"] else {
                return Self.reply(status: .unauthorized, text: "Token is required", code: 2)
            }
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "splunk" else {
                return Self.reply(status: .unauthorized, text: "Invalid authorization", code: 3)
            }
            let now = pipeline.environment.clock.nowMilliseconds()
            guard let principal = pipeline.environment.tokens.authenticate(String(parts[1]), now: now),
                  Authorization.allows(principal.role, [.ingest]) else {
                return Self.reply(status: .forbidden, text: "Invalid token", code: 4)
            }
            if let limited = pipeline.allow(principal) {
                var response = Self.reply(status: .serviceUnavailable, text: "Server is busy", code: 9)
                response.headers.append(name: "Retry-After", value: String(limited.retryAfterSeconds))
                return response
            }
            var ingestContext = pipeline.ingestContext()
            let events: [Event]
            switch Result(catching: { () throws(HECError) in try HECAdapter.parse(request.body, context: &ingestContext) }) {
            case .success(let parsed):
                events = parsed
            case .failure(let error):
                return Self.reply(status: .badRequest, text: error.text, code: error.code, invalidEventNumber: error.invalidEventNumber)
            }
            var context = context
            context.values[PrincipalKey.self] = principal
            let key = try IngestPipeline.idempotencyKey(request, context: context)
            do {
                return try await pipeline.accept(events, idempotencyKey: key, answer: Self.success, context: context)
            } catch let problem as Problem where problem.status == .serviceUnavailable {
                var response = Self.reply(status: .serviceUnavailable, text: "Server is busy", code: 9)
                response.headers.append(contentsOf: problem.headers)
                return response
            }
        }
    }

    static let success = StoredAnswer(status: 200, contentType: "application/json", body: Array(#"{"text":"Success","code":0}"#.utf8))

    static func reply(status: HTTPResponseStatus, text: String, code: Int, invalidEventNumber: Int? = nil) -> Response {
        var json = #"{"text":\#(JSONString.quote(text)),"code":\#(code)"#
        if let invalidEventNumber { json += #","invalid-event-number":\#(invalidEventNumber)"# }
        json += "}"
        return Response.json(bytes: Array(json.utf8), status: status)
    }
}

extension HTTPFields {
    mutating func append(contentsOf other: HTTPFields) {
        for field in other { append(name: field.name, value: field.value) }
    }
}
