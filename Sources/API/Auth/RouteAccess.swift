import MWRASPCore

/// Who may call a route, checked by `AuthMiddleware` before the handler runs.
public enum RouteAccess: Sendable, Equatable {
    /// No token: health, readiness, metrics, canary hits.
    case open
    /// A bearer token with one of these roles (admin always passes).
    case roles(Set<Role>, RouteAccessOptions = [])
    /// The handler authenticates in its sender's own way (Splunk HEC's `Authorization:
    /// Splunk`, PagerDuty's `routing_key` in the body) and answers in that sender's format.
    case handlerAuthenticates
}

public struct RouteAccessOptions: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// `?token=` is accepted too: Splunk's webhook alert action cannot send headers.
    public static let queryToken = RouteAccessOptions(rawValue: 1)
    /// An ingest webhook: `X-MWRASP-Signature` is verified when present, and required when
    /// the deployment says so.
    public static let signedWebhook = RouteAccessOptions(rawValue: 2)
}
