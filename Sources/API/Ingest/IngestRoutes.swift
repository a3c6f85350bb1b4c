import HTTPCore
import Ingestion
import MWRASPCore
import Security
import Storage
import WebServer

/// The webhook endpoints of DESIGN.md §5, one per sender format (paths in API.md).
struct IngestRoutes {
    let pipeline: IngestPipeline

    func register(into routes: inout APIRoutes) {
        let pipeline = self.pipeline
        let ingest: RouteAccess = .roles([.ingest], [.signedWebhook])

        routes.add(.post, "/v1/events", access: ingest) { request, context in
            try await Self.acceptOne(request, context, source: .generic, pipeline: pipeline) { body, ingestContext throws(IngestError) in
                try GenericEventAdapter.parse(body, context: &ingestContext)
            }
        }

        routes.add(.post, "/v1/events/bulk", access: ingest) { request, context in
            var ingestContext = pipeline.ingestContext()
            let result = request.body.withUnsafeBytes { NDJSONAdapter.parse($0, context: &ingestContext) }
            if result.events.isEmpty {
                if result.rejected.isEmpty { throw Problem.badRequest("The body has no events: send one JSON object per line.") }
                let reasons = result.rejected.prefix(10).map { "line \($0.line ?? 0): \($0.reason)" }.joined(separator: "; ")
                throw Problem.badRequest("No line was accepted (\(result.rejected.count) rejected): \(reasons)")
            }
            let key = try IngestPipeline.idempotencyKey(request, context: context)
            return try await pipeline.accept(result.events, idempotencyKey: key,
                                             answer: IngestAnswer.bulk(accepted: result.events.count, rejected: result.rejected), context: context)
        }

        routes.add(.post, "/v1/ingest/alertmanager", access: ingest) { request, context in
            try await Self.acceptBatch(request, context, source: .alertmanager, pipeline: pipeline) { body, ingestContext throws(IngestError) in
                try AlertmanagerAdapter.parse(body, context: &ingestContext)
            }
        }

        routes.add(.post, "/v1/ingest/splunk", access: .roles([.ingest], [.signedWebhook, .queryToken])) { request, context in
            try await Self.acceptOne(request, context, source: .splunk, pipeline: pipeline) { body, ingestContext throws(IngestError) in
                try SplunkAlertAdapter.parse(body, context: &ingestContext)
            }
        }

        routes.add(.post, "/v1/ingest/elastic", access: ingest) { request, context in
            try await Self.acceptBatch(request, context, source: .elastic, pipeline: pipeline) { body, ingestContext throws(IngestError) in
                try KibanaAdapter.parse(body, context: &ingestContext)
            }
        }

        routes.add(.post, "/v1/ingest/pagerduty", access: ingest) { request, context in
            var ingestContext = pipeline.ingestContext()
            let parsed = try Self.parse { () throws(IngestError) in try PagerDutyAdapter.parse(request.body, context: &ingestContext) }
            return try await Self.acceptPagerDuty(parsed, request: request, context: context, pipeline: pipeline)
        }

        // PagerDuty's own path: existing PagerDuty clients work with only their base URL
        // changed. The body's routing_key is the MWRASP ingest token; errors use PagerDuty's
        // response shape, which those clients understand.
        routes.add(.post, "/v2/enqueue", access: .handlerAuthenticates) { request, context in
            var ingestContext = pipeline.ingestContext()
            let parsed: PagerDutyEvent
            switch Result(catching: { () throws(IngestError) in try PagerDutyAdapter.parse(request.body, context: &ingestContext) }) {
            case .success(let event):
                parsed = event
            case .failure(let error):
                return PagerDutyReply.invalid(error.reason)
            }
            let now = pipeline.environment.clock.nowMilliseconds()
            guard let principal = pipeline.environment.tokens.authenticate(parsed.routingKey, now: now),
                  Authorization.allows(principal.role, [.ingest]) else {
                return PagerDutyReply.invalid("routing_key is not a valid MWRASP ingest token", status: .unauthorized)
            }
            if let limited = pipeline.allow(principal) {
                return PagerDutyReply.rateLimited(retryAfter: limited.retryAfterSeconds)
            }
            var context = context
            context.values[PrincipalKey.self] = principal
            return try await Self.acceptPagerDuty(parsed, request: request, context: context, pipeline: pipeline)
        }

        HECRoute(pipeline: pipeline).register(into: &routes)
    }

    private static func acceptPagerDuty(_ parsed: PagerDutyEvent, request: Request, context: RequestContext, pipeline: IngestPipeline) async throws -> Response {
        // The adapter's id is dedup_key + action: trigger, acknowledge and resolve are
        // different events; a retry of the same one is answered from the first.
        let answer = IngestAnswer.pagerDuty(dedupKey: parsed.dedupKey)
        let key = try IngestPipeline.idempotencyKey(request, context: context)
        if key == nil, parsed.event.externalID != nil {
            return try await pipeline.accept(identified: parsed.event, answer: answer, answerForDuplicate: { _ in answer }, context: context)
        }
        return try await pipeline.accept([parsed.event], idempotencyKey: key, answer: answer, context: context)
    }

    /// A webhook that carries one event: the sender's id makes retries idempotent.
    private static func acceptOne(
        _ request: Request, _ context: RequestContext, source: EventSource, pipeline: IngestPipeline,
        adapter: ([UInt8], inout IngestContext) throws(IngestError) -> Event
    ) async throws -> Response {
        var ingestContext = pipeline.ingestContext()
        let event = try parse { () throws(IngestError) in try adapter(request.body, &ingestContext) }
        let key = try IngestPipeline.idempotencyKey(request, context: context)
        if key == nil, event.externalID != nil {
            return try await pipeline.accept(identified: event, answer: IngestAnswer.accepted(id: event.id),
                                             answerForDuplicate: IngestAnswer.accepted(id:), context: context)
        }
        return try await pipeline.accept([event], idempotencyKey: key, answer: IngestAnswer.accepted(id: event.id), context: context)
    }

    /// A webhook that carries several alerts: only `Idempotency-Key` makes the request
    /// idempotent; each alert's own id still keeps it from being stored twice.
    private static func acceptBatch(
        _ request: Request, _ context: RequestContext, source: EventSource, pipeline: IngestPipeline,
        adapter: ([UInt8], inout IngestContext) throws(IngestError) -> [Event]
    ) async throws -> Response {
        var ingestContext = pipeline.ingestContext()
        let events = try parse { () throws(IngestError) in try adapter(request.body, &ingestContext) }
        let key = try IngestPipeline.idempotencyKey(request, context: context)
        return try await pipeline.accept(events, idempotencyKey: key, answer: IngestAnswer.acceptedBatch(count: events.count), context: context)
    }

    /// Adapter errors become 400 problems naming the field and the reason.
    static func parse<T>(_ body: () throws(IngestError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Problem.badRequest(error.reason)
        }
    }
}

/// PagerDuty Events API v2 error answers.
enum PagerDutyReply {
    static func invalid(_ reason: String, status: HTTPResponseStatus = .badRequest) -> Response {
        Response.json(bytes: Array(#"{"status":"invalid event","message":"Event object is invalid","errors":[\#(JSONString.quote(reason))]}"#.utf8), status: status)
    }

    static func rateLimited(retryAfter: Int) -> Response {
        var response = Response.json(bytes: Array(#"{"status":"throttle event","message":"Requests for this service are arriving too quickly. Please retry later."}"#.utf8), status: .tooManyRequests)
        response.headers.append(name: "Retry-After", value: String(retryAfter))
        return response
    }
}
