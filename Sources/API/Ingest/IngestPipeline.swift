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
        var fingerprints: [String?] = []
        fingerprints.reserveCapacity(events.count)
        for index in events.indices { fingerprints.append(fingerprint(events[index])) }
        let outcome = try await store(context: context) { store async throws(StoreError) in
            try await store.append(events, fingerprints: fingerprints, idempotencyKey: idempotencyKey, answer: answer)
        }
        return respond(to: outcome, answer: answer, answerForDuplicate: { _ in answer })
    }

    /// A single event with the sender's own id and no `Idempotency-Key`: the sender id makes
    /// retries idempotent through the events table itself, so no idempotency key is written
    /// (it was a third of what such an event cost to index). A retry gets
    /// `answerForDuplicate(id of the first event)`.
    func accept(identified event: Event, answer: StoredAnswer, answerForDuplicate: (EventID) -> StoredAnswer,
                context: RequestContext) async throws -> Response {
        let fingerprint = fingerprint(event)
        let outcome = try await store(context: context) { store async throws(StoreError) in
            try await store.appendIdentified(event, fingerprint: fingerprint)
        }
        return respond(to: outcome, answer: answer, answerForDuplicate: answerForDuplicate)
    }

    private func fingerprint(_ event: Event) -> String? {
        event.kind == .alert ? environment.ingest.fingerprinter.fingerprint(event) : nil
    }

    /// Runs the store call, mapping its failures to 503 problems (nothing was stored).
    private func store(context: RequestContext, _ body: (any Store) async throws(StoreError) -> AppendOutcome) async throws -> AppendOutcome {
        do {
            return try await body(environment.store)
        } catch {
            if case .overloaded(let retryAfter) = error {
                throw Problem.serviceUnavailable("Storage is not keeping up; retry later. Nothing from this request was stored.", retryAfterSeconds: retryAfter)
            }
            context.logger.error("storing events failed", metadata: ["error": "\(error)"])
            throw Problem.serviceUnavailable("Storage failed; nothing from this request was stored.", retryAfterSeconds: 5)
        }
    }

    private func respond(to outcome: AppendOutcome, answer: StoredAnswer, answerForDuplicate: (EventID) -> StoredAnswer) -> Response {
        switch outcome {
        case .stored:
            environment.detection?.pipeline.wake()
            return Self.response(for: answer, replayed: false)
        case .replayed(let first):
            return Self.response(for: first, replayed: true)
        case .duplicate(let first):
            return Self.response(for: answerForDuplicate(first), replayed: true)
        }
    }

    static func response(for answer: StoredAnswer, replayed: Bool) -> Response {
        var headers = HTTPFields()
        headers.append(name: "Content-Type", value: answer.contentType)
        if replayed { headers.append(name: "Idempotent-Replayed", value: "true") }
        return Response(status: HTTPResponseStatus(code: answer.status), headers: headers, body: answer.body)
    }

    /// `Idempotency-Key` (scoped to the caller's token and the endpoint, so two tenants or two
    /// endpoints never share an answer), else nil (a single event's sender id is handled by
    /// `accept(identified:)`).
    static func idempotencyKey(_ request: Request, context: RequestContext) throws -> String? {
        if let header = request.headers["Idempotency-Key"] {
            guard (1...255).contains(header.utf8.count), header.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw Problem.badRequest("Idempotency-Key must be 1-255 visible ASCII characters.")
            }
            let scope = context.values[PrincipalKey.self]?.tokenID ?? "anonymous"
            return "h:\(scope):\(context.route ?? request.path):\(header)"
        }
        return nil
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
