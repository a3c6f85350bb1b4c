import Detection
import Foundation
import HTTPCore
import Pipeline
import WebServer

/// `/v1/rules`: the Sigma and Sigma correlation rules in force. `?summary` gives the load
/// report (loaded, refused by reason); POST takes a rule as YAML (or `{"yaml": "..."}`).
struct RuleRoutes {
    let environment: APIEnvironment

    struct RuleView: Encodable {
        var id: String
        var title: String
        var kind: String
        var level: String?
        var status: String?
        var logsource: LogsourceView?
        var origin: String
        var source: String
        var yaml: String?

        init(_ entry: RuleLibrary.Entry, withYAML: Bool) {
            id = entry.id
            title = entry.title
            kind = entry.kind
            level = entry.level
            status = entry.status
            logsource = entry.logsource.map { LogsourceView(product: $0.product, category: $0.category, service: $0.service) }
            origin = entry.origin
            source = entry.fromAPI ? "api" : "directory"
            yaml = withYAML ? entry.yaml : nil
        }
    }

    struct LogsourceView: Encodable {
        var product: String?
        var category: String?
        var service: String?
    }

    struct RulePage: Encodable {
        var items: [RuleView]
        var next_cursor: String?
    }

    struct Summary: Encodable {
        var files: Int
        var loaded: Int
        var refused: Int
        var correlations: Int
        var load_ratio: Double
        var refused_by_reason: [String: Int]
        var refusals: [Refusal]
        var rules_in_force: Int
    }

    struct Refusal: Encodable {
        var origin: String
        var reason: String
        var detail: String
    }

    struct Created: Encodable {
        var items: [RuleView]
    }

    func register(into routes: inout APIRoutes) {
        let environment = self.environment
        routes.add(.get, "/v1/rules", access: .roles([.responder])) { request, context in
            let library = try environment.detectionRuntime().rules
            var limit = 50
            var after: String?
            var summary = false
            for (name, value) in request.queryItems {
                switch name {
                case "summary": summary = true
                case "pretty": break
                case "limit":
                    guard let parsed = Int(value), (1...1000).contains(parsed) else {
                        throw Problem.badRequest("limit must be a whole number from 1 to 1000, got \(value).")
                    }
                    limit = parsed
                case "cursor":
                    guard let decoded = Data(base64Encoded: value).flatMap({ String(data: $0, encoding: .utf8) }) else {
                        throw Problem.badRequest("cursor: \(value) is not a cursor this server made.")
                    }
                    after = decoded
                default: throw Problem.badRequest("Unknown query parameter \(name); accepted: summary, limit, cursor, pretty.")
                }
            }
            let entries = library.entries()
            if summary {
                let report = library.report
                return try JSONResponse.make(Summary(
                    files: report.files, loaded: report.loaded, refused: report.refused, correlations: report.correlations,
                    load_ratio: report.loadRatio, refused_by_reason: report.refusedByReason,
                    refusals: report.refusals.map { Refusal(origin: $0.origin, reason: $0.key, detail: $0.detail) },
                    rules_in_force: entries.count), context: context)
            }
            let sorted = entries.sorted { $0.id < $1.id }.filter { after == nil || $0.id > after! }
            let page = sorted.prefix(limit)
            let next = sorted.count > limit ? page.last.map { Data($0.id.utf8).base64EncodedString() } : nil
            return try JSONResponse.make(RulePage(items: page.map { RuleView($0, withYAML: false) }, next_cursor: next), context: context)
        }
        routes.add(.post, "/v1/rules", access: .roles([.responder])) { request, context in
            let runtime = try environment.detectionRuntime()
            let yaml = try Self.yaml(from: request)
            do {
                let entries = try await runtime.rules.add(yaml: yaml, createdAt: runtime.now())
                return try JSONResponse.make(Created(items: entries.map { RuleView($0, withYAML: false) }), status: .created, context: context)
            } catch let error as SigmaRuleError {
                throw Self.invalid("\(error.path): \(error.reason)")
            } catch let error as SigmaCorrelationError {
                throw Self.invalid("\(error.path): \(error.reason)")
            } catch let error as RuleLibraryError {
                if case .directoryRule = error {
                    throw Problem(status: .conflict, slug: "rule-conflict", title: "Rule id taken", detail: "\(error).")
                }
                throw Self.invalid("\(error).")
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem.serviceUnavailable("The rule could not be stored: \(error).", retryAfterSeconds: 5)
            }
        }
        routes.add(.get, "/v1/rules/{id}", access: .roles([.responder])) { _, context in
            let id = context.parameters["id"] ?? ""
            guard let entry = try environment.detectionRuntime().rules.entries().first(where: { $0.id == id }) else {
                throw Problem.notFound("No rule \(id).")
            }
            return try JSONResponse.make(RuleView(entry, withYAML: true), context: context)
        }
        routes.add(.delete, "/v1/rules/{id}", access: .roles([.responder])) { _, context in
            let runtime = try environment.detectionRuntime()
            let id = context.parameters["id"] ?? ""
            let deleted: Bool
            do {
                deleted = try await runtime.rules.delete(id: id)
            } catch {
                throw Problem.serviceUnavailable("The rule could not be removed: \(error).", retryAfterSeconds: 5)
            }
            guard deleted else { throw Problem.notFound("No rule \(id).") }
            return Response(status: .noContent)
        }
    }

    static func invalid(_ detail: String) -> Problem {
        Problem(status: .unprocessableContent, slug: "invalid-rule", title: "Invalid rule", detail: detail)
    }

    /// YAML as the body (`application/yaml`, `text/yaml`, or anything not JSON), or JSON
    /// `{"yaml": "..."}` for clients that only speak JSON.
    static func yaml(from request: Request) throws -> String {
        guard !request.body.isEmpty else { throw Problem.badRequest("The body must be a Sigma rule in YAML.") }
        guard let text = String(validating: request.body, as: UTF8.self) else {
            throw Problem.badRequest("The body is not valid UTF-8.")
        }
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        if type.hasPrefix("application/json") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                  let yaml = object["yaml"] as? String
            else { throw Problem.badRequest(#"A JSON body must be {"yaml": "<the rule>"}."#) }
            return yaml
        }
        return text
    }
}
