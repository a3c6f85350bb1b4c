import WebServer

/// Every route MWRASP serves, in one place, so the server and the OpenAPI test see the
/// same set.
public enum APIRouter {
    public static func build(operational: OperationalRoutes) throws -> Router {
        var builder = RouterBuilder()
        operational.register(into: &builder)
        return try builder.build()
    }
}
