import HTTPCore

/// How a handler runs. `inline` handlers run on the connection's event-loop thread: only for
/// work that never blocks and takes microseconds (health, metrics). Everything else is
/// `async` and runs as a task, so a slow handler never stalls other connections.
public enum RouteHandler: Sendable {
    case inline(@Sendable (Request, RequestContext) throws -> Response)
    case async(@Sendable (Request, RequestContext) async throws -> Response)
}

/// A method and path template bound to a handler. Templates are literal segments and
/// `{name}` parameters: `/v1/incidents/{id}/timeline`.
public struct Route: Sendable {
    public let method: HTTPMethod
    public let template: String
    public let handler: RouteHandler
    /// The `{name}`s of the template, in order.
    public let parameterNames: [String]
    /// Position in the router (set when the router is built); keys per-route metric handles.
    public internal(set) var index: Int = -1

    public init(method: HTTPMethod, template: String, handler: RouteHandler) {
        self.method = method
        self.template = template
        self.handler = handler
        self.parameterNames = template.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }
}

/// Collects routes; `build()` compiles them into a `Router`.
public struct RouterBuilder: Sendable {
    public private(set) var routes: [Route] = []

    public init() {}

    public mutating func add(_ route: Route) {
        routes.append(route)
    }

    public mutating func inline(_ method: HTTPMethod, _ template: String,
                                _ handler: @escaping @Sendable (Request, RequestContext) throws -> Response) {
        add(Route(method: method, template: template, handler: .inline(handler)))
    }

    public mutating func on(_ method: HTTPMethod, _ template: String,
                            _ handler: @escaping @Sendable (Request, RequestContext) async throws -> Response) {
        add(Route(method: method, template: template, handler: .async(handler)))
    }

    public func build() throws(RouterError) -> Router {
        try Router(routes: routes)
    }
}

public enum RouterError: Error, Equatable, CustomStringConvertible {
    case duplicate(method: String, template: String)
    case invalidTemplate(String)

    public var description: String {
        switch self {
        case let .duplicate(method, template): "route \(method) \(template) is registered twice"
        case let .invalidTemplate(template): "route template \(template) must start with / and use {name} parameters as whole segments"
        }
    }
}
