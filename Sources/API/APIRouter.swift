import Logging
import WebServer

/// Every route MWRASP serves, in one place, so the server and the OpenAPI test see the
/// same set.
public enum APIRouter {
    public struct Built: Sendable {
        public let router: Router
        public let middleware: [any Middleware]
    }

    public static func build(operational: OperationalRoutes, environment: APIEnvironment) throws -> Built {
        var routes = APIRoutes()
        operational.register(into: &routes)
        let pipeline = IngestPipeline(environment: environment)
        IngestRoutes(pipeline: pipeline).register(into: &routes)
        EventRoutes(environment: environment).register(into: &routes)
        DetectionRoutes(environment: environment).register(into: &routes)
        IncidentRoutes(environment: environment).register(into: &routes)
        CatalogRoutes(environment: environment).register(into: &routes)
        CanaryRoutes(environment: environment).register(into: &routes)
        RuleRoutes(environment: environment).register(into: &routes)
        IOCRoutes(environment: environment).register(into: &routes)
        TokenRoutes(service: TokenService(store: environment.store, registry: environment.tokens, clock: environment.clock))
            .register(into: &routes)
        return Built(router: try routes.router.build(), middleware: [AuthMiddleware(access: routes.access, environment: environment)])
    }

    /// The responder for a server: routes, middleware, limits.
    public static func responder(operational: OperationalRoutes, environment: APIEnvironment,
                                 maxInflatedBodyBytes: Int, logger: Logger) throws -> Responder {
        let built = try build(operational: operational, environment: environment)
        return Responder(router: built.router, middleware: built.middleware, maxInflatedBodyBytes: maxInflatedBodyBytes, logger: logger)
    }
}
