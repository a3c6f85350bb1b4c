import HTTPCore
import MWRASPCore
import Security
import WebServer

/// The authenticated caller, for handlers (`context.values[PrincipalKey.self]`).
public enum PrincipalKey: ContextKey {
    public typealias Value = Principal
}

/// Bearer-token authentication, role checks, per-token rate limits and webhook signatures,
/// all from memory (token registry, token buckets), so it runs on the event loop.
public struct AuthMiddleware: Middleware {
    let access: [String: [HTTPMethod: RouteAccess]]
    let environment: APIEnvironment

    init(access: [String: [HTTPMethod: RouteAccess]], environment: APIEnvironment) {
        self.access = access
        self.environment = environment
    }

    public func willHandle(_ request: inout Request, context: inout RequestContext) throws -> Response? {
        guard let route = context.route, let byMethod = access[route],
              let rule = byMethod[request.method] ?? (request.method == .head ? byMethod[.get] : nil) else {
            return nil
        }
        guard case .roles(let required, let options) = rule else { return nil }
        let presented = Self.bearerToken(request.headers["Authorization"])
            ?? (options.contains(.queryToken) ? request.query("token") : nil)
        guard let presented, !presented.isEmpty else {
            throw Problem.unauthorized("This endpoint needs a token: send `Authorization: Bearer <token>`.")
        }
        let now = environment.clock.nowMilliseconds()
        guard let principal = environment.tokens.authenticate(presented, now: now) else {
            throw Problem.unauthorized("The token is not valid (unknown, revoked or malformed).")
        }
        guard Authorization.allows(principal.role, required) else {
            throw Problem.forbidden("Role \(principal.role.rawValue) may not call \(request.method.rawValue) \(route); it needs \(required.map(\.rawValue).sorted().joined(separator: " or ")).")
        }
        if let limiter = environment.rateLimiter {
            let decision = limiter.take(key: principal.tokenID, now: environment.clock.monotonicNanoseconds())
            if !decision.allowed {
                throw Problem.tooManyRequests("Token \(principal.tokenID) is over its rate limit.", retryAfterSeconds: decision.retryAfterSeconds)
            }
        }
        if options.contains(.signedWebhook) {
            try verifySignature(request, now: now)
        }
        context.values[PrincipalKey.self] = principal
        return nil
    }

    private func verifySignature(_ request: Request, now: Int64) throws {
        let header = request.headers["X-MWRASP-Signature"]
        guard header != nil || environment.ingest.requireSignature else { return }
        guard let verifier = environment.ingest.signature else {
            throw Problem.unauthorized("Signed webhooks are required but no signing secret is configured.")
        }
        do {
            try verifier.verify(header: header, body: request.body, now: now / 1000)
        } catch {
            throw Problem.unauthorized("X-MWRASP-Signature: \(error).")
        }
    }

    /// `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive).
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: " \t")
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

extension Problem {
    static func unauthorized(_ detail: String) -> Problem {
        var headers = HTTPFields()
        headers.append(name: "WWW-Authenticate", value: #"Bearer realm="mwrasp""#)
        return Problem(status: .unauthorized, slug: "unauthorized", title: "Authentication required", detail: detail, headers: headers)
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, slug: "forbidden", title: "Not allowed for this role", detail: detail)
    }

    static func tooManyRequests(_ detail: String, retryAfterSeconds: Int) -> Problem {
        var headers = HTTPFields()
        headers.append(name: "Retry-After", value: String(retryAfterSeconds))
        return Problem(status: .tooManyRequests, slug: "rate-limited", title: "Too many requests", detail: detail, headers: headers)
    }
}
