import HTTPCore
import WebServer

/// Routes together with who may call them, so the router and the auth middleware are built
/// from one list.
public struct APIRoutes {
    public private(set) var router = RouterBuilder()
    public private(set) var access: [String: [HTTPMethod: RouteAccess]] = [:]

    public init() {}

    public mutating func add(_ method: HTTPMethod, _ template: String, access rule: RouteAccess,
                             _ handler: @escaping @Sendable (Request, RequestContext) async throws -> Response) {
        router.on(method, template, handler)
        access[template, default: [:]][method] = rule
    }

    public mutating func addInline(_ method: HTTPMethod, _ template: String, access rule: RouteAccess,
                                   _ handler: @escaping @Sendable (Request, RequestContext) throws -> Response) {
        router.inline(method, template, handler)
        access[template, default: [:]][method] = rule
    }
}
