import HTTPCore
import Logging

/// Per-request facts that are not part of the HTTP message: the request id, the matched
/// route, its parameters, and output preferences. Cheap to create: the logger with the
/// request id is only built when someone asks for it.
public struct RequestContext: Sendable {
    public let requestID: String
    /// The matched route template (`/v1/incidents/{id}`), nil when nothing matched.
    public var route: String?
    /// The matched route's position in the router, for per-route metric handles.
    var routeIndex: Int = -1
    public var parameters: RouteParameters
    /// `?pretty` or `Accept: application/json; indent=2`: indent JSON for people using curl.
    public var prettyJSON: Bool
    /// Monotonic nanoseconds when the request was complete.
    public let receivedAt: UInt64
    /// What middleware learned about the request (the authenticated principal...).
    public var values = ContextValues()
    private let baseLogger: Logger

    public init(requestID: String, logger: Logger, receivedAt: UInt64, prettyJSON: Bool = false) {
        self.requestID = requestID
        self.baseLogger = logger
        self.receivedAt = receivedAt
        self.prettyJSON = prettyJSON
        self.parameters = RouteParameters()
    }

    /// The server logger with `request.id` (and the route once matched) as metadata.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "request.id"] = .string(requestID)
        if let route { logger[metadataKey: "http.route"] = .string(route) }
        return logger
    }
}

/// Path parameters captured by the router, in template order, percent-decoded.
public struct RouteParameters: Sendable, Equatable {
    public private(set) var items: [(name: String, value: String)] = []

    public init() {}

    public mutating func append(name: String, value: String) {
        items.append((name, value))
    }

    public subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    public static func == (lhs: RouteParameters, rhs: RouteParameters) -> Bool {
        lhs.items.map(\.name) == rhs.items.map(\.name) && lhs.items.map(\.value) == rhs.items.map(\.value)
    }
}
