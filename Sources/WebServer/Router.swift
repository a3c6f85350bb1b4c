import HTTPCore

/// What the router found for a method and path.
public enum RouteMatch: Sendable {
    case found(Route, RouteParameters)
    case methodNotAllowed(allowed: [HTTPMethod])
    case notFound
}

/// Routes compiled for lookup: a hash map for templates without parameters (most requests,
/// one lookup) and a segment trie, as Hummingbird's RouterTrie, for the rest. Immutable
/// once built, so all event loops share it without locks.
public final class Router: Sendable {
    public let routes: [Route]
    private let staticRoutes: [String: [HTTPMethod: Route]]
    private let trie: TrieNode

    init(routes: [Route]) throws(RouterError) {
        var routes = routes
        for index in routes.indices { routes[index].index = index }
        var staticRoutes: [String: [HTTPMethod: Route]] = [:]
        let root = TrieNode.Builder()
        var seen = Set<String>()
        for route in routes {
            let segments = try Self.segments(of: route.template)
            guard seen.insert("\(route.method.rawValue) \(Self.shape(segments))").inserted else {
                throw .duplicate(method: route.method.rawValue, template: route.template)
            }
            if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
                staticRoutes[route.template, default: [:]][route.method] = route
            } else {
                root.insert(route, segments: segments[...])
            }
        }
        self.routes = routes
        self.staticRoutes = staticRoutes
        self.trie = root.freeze()
    }

    public func match(method: HTTPMethod, path: String) -> RouteMatch {
        if let byMethod = staticRoutes[path] {
            return Self.select(byMethod, method: method, parameters: RouteParameters())
        }
        var node = trie
        var values: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if let next = node.literals[String(segment)] {
                node = next
            } else if let next = node.parameter, !segment.isEmpty {
                values.append(PercentDecoding.decode(segment))
                node = next
            } else {
                return .notFound
            }
        }
        let match = Self.select(node.methods, method: method, parameters: RouteParameters())
        guard case .found(let route, _) = match else { return match }
        // Name the captured values after this route's own template, so `/runs/{run_id}` and
        // `/runs/{id}/pause` can share a trie node and still see their own names.
        var parameters = RouteParameters()
        for (name, value) in zip(route.parameterNames, values) {
            parameters.append(name: name, value: value)
        }
        return .found(route, parameters)
    }

    /// Every method and template, for the route-versus-OpenAPI test and for logs.
    public var templates: [(method: HTTPMethod, template: String)] {
        routes.map { ($0.method, $0.template) }
    }

    private static func select(_ byMethod: [HTTPMethod: Route], method: HTTPMethod, parameters: RouteParameters) -> RouteMatch {
        if byMethod.isEmpty { return .notFound }
        if let route = byMethod[method] { return .found(route, parameters) }
        // RFC 9110 §9.3.2: HEAD is GET without the body; the connection drops the body.
        if method == .head, let route = byMethod[.get] { return .found(route, parameters) }
        var allowed = Array(byMethod.keys)
        if byMethod[.get] != nil { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
    }

    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    static func segments(of template: String) throws(RouterError) -> [Segment] {
        guard template.hasPrefix("/") else { throw .invalidTemplate(template) }
        if template == "/" { return [.literal("")] }
        var result: [Segment] = []
        for part in template.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if part.hasPrefix("{") {
                guard part.hasSuffix("}"), part.count > 2, !part.dropFirst().dropLast().contains(where: { "{}".contains($0) }) else {
                    throw .invalidTemplate(template)
                }
                result.append(.parameter(String(part.dropFirst().dropLast())))
            } else {
                guard !part.contains("{"), !part.contains("}") else { throw .invalidTemplate(template) }
                result.append(.literal(String(part)))
            }
        }
        return result
    }

    private static func shape(_ segments: [Segment]) -> String {
        segments.map { if case .literal(let text) = $0 { text } else { "{}" } }.joined(separator: "/")
    }
}

/// A trie node: literal children by segment, at most one parameter child, routes by method.
final class TrieNode: Sendable {
    let literals: [String: TrieNode]
    let parameter: TrieNode?
    let methods: [HTTPMethod: Route]

    private init(literals: [String: TrieNode], parameter: TrieNode?, methods: [HTTPMethod: Route]) {
        self.literals = literals
        self.parameter = parameter
        self.methods = methods
    }

    /// Mutable during construction only.
    final class Builder {
        var literals: [String: Builder] = [:]
        var parameter: Builder?
        var methods: [HTTPMethod: Route] = [:]

        func insert(_ route: Route, segments: ArraySlice<Router.Segment>) {
            guard let first = segments.first else {
                methods[route.method] = route
                return
            }
            switch first {
            case .literal(let text):
                let child = literals[text] ?? Builder()
                literals[text] = child
                child.insert(route, segments: segments.dropFirst())
            case .parameter:
                let child = parameter ?? Builder()
                parameter = child
                child.insert(route, segments: segments.dropFirst())
            }
        }

        func freeze() -> TrieNode {
            TrieNode(
                literals: literals.mapValues { $0.freeze() },
                parameter: parameter?.freeze(),
                methods: methods)
        }
    }
}
