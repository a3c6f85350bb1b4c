import HTTPCore
import Testing
@testable import WebServer

@Suite struct RouterTests {
    private func router(_ templates: [(HTTPMethod, String)]) throws -> Router {
        var builder = RouterBuilder()
        for (method, template) in templates {
            builder.inline(method, template) { _, _ in Response(status: .ok) }
        }
        return try builder.build()
    }

    @Test func staticRoute_matchesExactPath() throws {
        let router = try router([(.get, "/healthz")])
        guard case .found(let route, let parameters) = router.match(method: .get, path: "/healthz") else {
            Issue.record("expected a match")
            return
        }
        #expect(route.template == "/healthz")
        #expect(parameters.items.isEmpty)
        guard case .notFound = router.match(method: .get, path: "/healthz/") else {
            Issue.record("a trailing slash is another path")
            return
        }
    }

    @Test func parameterRoute_capturesDecodedValuesUnderEachRoutesOwnNames() throws {
        let router = try router([(.get, "/v1/runs/{run_id}"), (.post, "/v1/runs/{id}/pause")])
        guard case .found(let get, let getParameters) = router.match(method: .get, path: "/v1/runs/r%2042") else {
            Issue.record("expected GET match")
            return
        }
        #expect(get.template == "/v1/runs/{run_id}")
        #expect(getParameters["run_id"] == "r 42")
        guard case .found(_, let pauseParameters) = router.match(method: .post, path: "/v1/runs/abc/pause") else {
            Issue.record("expected POST match")
            return
        }
        #expect(pauseParameters["id"] == "abc")
    }

    @Test func literalSegment_winsOverParameter() throws {
        let router = try router([(.get, "/v1/rules/{id}"), (.get, "/v1/rules/summary")])
        guard case .found(let route, _) = router.match(method: .get, path: "/v1/rules/summary") else {
            Issue.record("expected match")
            return
        }
        #expect(route.template == "/v1/rules/summary")
    }

    @Test func wrongMethod_is405WithAllowListingEveryMethodAndHead() throws {
        let router = try router([(.get, "/v1/cases/{id}"), (.patch, "/v1/cases/{id}")])
        guard case .methodNotAllowed(let allowed) = router.match(method: .delete, path: "/v1/cases/7") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed.map(\.rawValue) == ["GET", "HEAD", "PATCH"])
    }

    @Test func head_fallsBackToGet() throws {
        let router = try router([(.get, "/healthz")])
        guard case .found(let route, _) = router.match(method: .head, path: "/healthz") else {
            Issue.record("HEAD should use the GET route")
            return
        }
        #expect(route.method == .get)
    }

    @Test func emptyParameterSegment_doesNotMatch() throws {
        let router = try router([(.get, "/v1/cases/{id}")])
        guard case .notFound = router.match(method: .get, path: "/v1/cases/") else {
            Issue.record("an empty id is not an id")
            return
        }
    }

    @Test func duplicateRoutes_areRefusedEvenWithOtherParameterNames() {
        #expect(throws: RouterError.self) {
            try router([(.get, "/v1/cases/{id}"), (.get, "/v1/cases/{case_id}")])
        }
    }

    @Test func malformedTemplates_areRefused() {
        for template in ["healthz", "/v1/{", "/v1/{}/x", "/v1/a{b}"] {
            #expect(throws: RouterError.self) { try router([(.get, template)]) }
        }
    }
}
