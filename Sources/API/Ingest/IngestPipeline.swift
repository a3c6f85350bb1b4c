import HTTPCore
import Ingestion
import Logging
import MWRASPCore
import Security
import Storage
import WebServer

/// The common tail of every ingest endpoint: fingerprint alerts for dedup, store durably
/// (group commit), and answer only then — 202 means durable. A retry with the same
/// idempotency key gets the first answer back and stores nothing.
struct IngestPipeline: Sendable {
    let environment: APIEnvironment

    func accept(_ events: [Event], idempotencyKey: String?, answer: StoredAnswer, context: RequestContext) async throws -> Response {
        // An indexed loop reads each event in place (`map` copied every event, 13 references).
        let fingerprinter = environment.ingest.fingerprinter
        var fingerprints: [String?] = []
        fingerprints.reserveCapacity(events.count)
        for index in events.indices {
            fingerprints.append(events[index].kind == .alert ? fingerprinter.fingerprint(events[index]) : nil)
        }
        let outcome: AppendOutcome
        do {
            outcome = try await environment.store.append(events, fingerprints: fingerprints, idempotencyKey: idempotencyKey, answer: answer)
        } catch {
            if case .overloaded(let retryAfter) = error {
                throw Problem.serviceUnavailable("Storage is not keeping up; retry later. Nothing from this request was stored.", retryAfterSeconds: retryAfter)
            }
            context.logger.error("storing events failed", metadata: ["error": "\(error)"])
            throw Problem.serviceUnavailable("Storage failed; nothing from this request was stored.", retryAfterSeconds: 5)
        }
        switch outcome {
        case .stored:
            environment.detection?.pipeline.wake()
            return Self.response(for: answer, replayed: false)
        case .replayed(let first):
            return Self.response(for: first, replayed: true)
        }
    }

    static func response(for answer: StoredAnswer, replayed: Bool) -> Response {
        var headers = HTTPFields()
        headers.append(name: "Content-Type", value: answer.contentType)
        if replayed { headers.append(name: "Idempotent-Replayed", value: "true") }
        return Response(status: HTTPResponseStatus(code: answer.status), headers: headers, body: answer.body)
    }

    /// `Idempotency-Key` (scoped to the caller's token and the endpoint, so two tenants or two
    /// endpoints never share an answer), else the sender's own id for the endpoint's single
    /// event.
    static func idempotencyKey(_ request: Request, context: RequestContext, source: EventSource, externalID: String?) throws -> String? {
        if let header = request.headers["Idempotency-Key"] {
            guard (1...255).contains(header.utf8.count), header.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw Problem.badRequest("Idempotency-Key must be 1-255 visible ASCII characters.")
            }
            let scope = context.values[PrincipalKey.self]?.tokenID ?? "anonymous"
            return "h:\(scope):\(context.route ?? request.path):\(header)"
        }
        return externalID.map { "s:\(source.rawValue):\($0)" }
    }

    func ingestContext() -> IngestContext {
        var context = IngestContext(receivedAt: environment.clock.nowMilliseconds())
        context.maxEventBytes = environment.ingest.maxEventBytes
        return context
    }

    /// Rate limiting for the endpoints that authenticate in their sender's own way.
    func allow(_ principal: Principal) -> RateLimiter.Decision? {
        guard let limiter = environment.rateLimiter else { return nil }
        let decision = limiter.take(key: principal.tokenID, now: environment.clock.monotonicNanoseconds())
        return decision.allowed ? nil : decision
    }
}

/// Small JSON answers written by hand: they are on the ingest hot path.
enum IngestAnswer {
    static func accepted(id: EventID) -> StoredAnswer {
        StoredAnswer(status: 202, contentType: "application/json", body: Array(#"{"id":"\#(id.rawValue)","status":"accepted"}"#.utf8))
    }

    static func acceptedBatch(count: Int) -> StoredAnswer {
        StoredAnswer(status: 202, contentType: "application/json", body: Array(#"{"status":"accepted","events":\#(count)}"#.utf8))
    }

    static func bulk(accepted: Int, rejected: [IngestError]) -> StoredAnswer {
        var json = #"{"accepted":\#(accepted),"rejected":["#
        for (index, error) in rejected.enumerated() {
            if index > 0 { json += "," }
            json += #"{"line":\#(error.line ?? 0),"error":\#(JSONString.quote(error.reason))}"#
        }
        json += "]}"
        return StoredAnswer(status: 200, contentType: "application/json", body: Array(json.utf8))
    }

    static func pagerDuty(dedupKey: String) -> StoredAnswer {
        StoredAnswer(status: 202, contentType: "application/json",
                     body: Array(#"{"status":"success","message":"Event processed","dedup_key":\#(JSONString.quote(dedupKey))}"#.utf8))
    }
}
