import Detection
import Foundation
import HTTPCore
import Pipeline
import WebServer

/// Canary tokens (honeytokens): `POST /v1/canaries` mints one, `GET /v1/canaries` lists them,
/// and `GET /c/{token}` is the public URL a URL canary points to.
struct CanaryRoutes {
    let environment: APIEnvironment

    struct MintBody: Decodable {
        var kind: String
        var label: String
        var username: String?
    }

    struct CanaryList: Encodable {
        var items: [CanaryView]
    }

    /// A canary as the API shows it: times in RFC 3339 (the stored record keeps milliseconds).
    struct CanaryView: Encodable {
        var id: String
        var kind: String
        var label: String
        var token: String
        var value: String
        var secret: String?
        var created_at: String
        var hit_count: Int
        var recent_hits: [HitView]

        init(_ token: CanaryToken) {
            id = token.id
            kind = token.kind.rawValue
            label = token.label
            self.token = token.token
            value = token.value
            secret = token.secret
            created_at = APITimestamps.iso8601(milliseconds: token.createdAt)
            hit_count = token.hitCount
            recent_hits = token.recentHits.map(HitView.init)
        }
    }

    struct HitView: Encodable {
        var channel: String
        var at: String
        var remote_address: String?
        var user_agent: String?
        var event_id: String?

        init(_ hit: CanaryHit) {
            channel = hit.channel
            at = APITimestamps.iso8601(milliseconds: hit.at)
            remote_address = hit.remoteAddress
            user_agent = hit.userAgent
            event_id = hit.eventID
        }
    }

    /// What every `/c/{token}` request gets, live token or not, so that probing the URL space
    /// tells nothing: an ordinary, forgettable page.
    static let decoyPage = Array("""
        <!doctype html><html><head><meta charset="utf-8"><title>Document</title></head>
        <body><p>This document is no longer available.</p></body></html>

        """.utf8)

    func register(into routes: inout APIRoutes) {
        let environment = self.environment
        routes.add(.post, "/v1/canaries", access: .roles([.responder])) { request, context in
            let runtime = try environment.detectionRuntime()
            let body: MintBody
            do {
                body = try JSONDecoder().decode(MintBody.self, from: Data(request.body))
            } catch {
                throw Problem.badRequest("The body must be {\"kind\": one of \(Self.kinds), \"label\": string, \"username\"?: string}.")
            }
            guard let kind = CanaryKind(rawValue: body.kind) else {
                throw Problem.badRequest("kind must be one of \(Self.kinds), got \(body.kind).")
            }
            guard (1...200).contains(body.label.count) else { throw Problem.badRequest("label must be 1-200 characters.") }
            if let username = body.username {
                guard kind == .credential else { throw Problem.badRequest("username is only for credential canaries.") }
                guard (1...100).contains(username.count), !username.contains(where: \.isWhitespace) else {
                    throw Problem.badRequest("username must be 1-100 characters without spaces.")
                }
            }
            let token = runtime.canaries.mint(kind, label: body.label, createdAt: runtime.now(), username: body.username)
            do {
                try await runtime.saveCanary(token)
            } catch {
                _ = runtime.canaries.revoke(id: token.id)
                throw Problem.serviceUnavailable("The canary could not be stored: \(error).", retryAfterSeconds: 5)
            }
            return try JSONResponse.make(CanaryView(token), status: .created, context: context)
        }
        routes.add(.get, "/v1/canaries", access: .roles([.responder])) { request, context in
            if let unknown = request.queryItems.first(where: { $0.name != "pretty" }) {
                throw Problem.badRequest("Unknown query parameter \(unknown.name).")
            }
            let runtime = try environment.detectionRuntime()
            return try JSONResponse.make(CanaryList(items: runtime.canaries.records().map(CanaryView.init)), context: context)
        }
        routes.add(.get, "/c/{token}", access: .open) { request, context in
            let runtime = try environment.detectionRuntime()
            let token = context.parameters["token"] ?? ""
            let now = runtime.now()
            if let finding = runtime.canaries.recordHit(
                token: token, remoteAddress: request.remoteAddress?.host, userAgent: request.headers["User-Agent"], at: now)
            {
                do {
                    try await runtime.record(finding, eventTime: now)
                    if let record = runtime.canaries.lookup(token: token.lowercased()) { try await runtime.saveCanary(record) }
                } catch {
                    // The hit is still answered like any other; the failure is for operators.
                    context.logger.error("canary hit could not be stored", metadata: ["error": "\(error)"])
                }
            }
            var headers = HTTPFields()
            headers.append(name: "Content-Type", value: "text/html; charset=utf-8")
            headers.append(name: "Cache-Control", value: "no-store")
            return Response(status: .ok, headers: headers, body: Self.decoyPage)
        }
    }

    static var kinds: String { CanaryKind.allCases.map(\.rawValue).joined(separator: ", ") }
}
