import HTTPCore

/// An RFC 9457 problem: the only error shape MWRASP's HTTP layer renders.
/// `type` is a stable URI per kind of problem (listed in docs/problems.md), `title` its short
/// summary, `detail` what went wrong with this request.
public struct Problem: Error, Sendable, Equatable {
    public static let typeBase = "https://mwrasp.dev/problems/"

    public var status: HTTPResponseStatus
    public var slug: String
    public var title: String
    public var detail: String
    /// Extra response headers the problem needs (`Allow` for 405, `Retry-After` for 429/503).
    public var headers: HTTPFields

    public init(status: HTTPResponseStatus, slug: String, title: String, detail: String, headers: HTTPFields = HTTPFields()) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = headers
    }

    public var type: String { Self.typeBase + slug }
}

/// Errors from any layer that know which problem they are. Only errors conforming to this
/// reach a client with their detail; anything else is a 500 with a generic detail.
public protocol ProblemConvertible: Error {
    var problem: Problem { get }
}

extension Problem: ProblemConvertible {
    public var problem: Problem { self }
}

extension Problem {
    public static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, slug: "bad-request", title: "The request is malformed", detail: detail)
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "No such resource", detail: detail)
    }

    public static func methodNotAllowed(_ method: HTTPMethod, path: String, allowed: [HTTPMethod]) -> Problem {
        var headers = HTTPFields()
        headers.append(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
        return Problem(
            status: .methodNotAllowed, slug: "method-not-allowed", title: "Method not allowed on this resource",
            detail: "\(method.rawValue) is not allowed on \(path); allowed: \(allowed.map(\.rawValue).joined(separator: ", ")).",
            headers: headers)
    }

    public static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(status: .unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported content encoding or type", detail: detail)
    }

    public static func payloadTooLarge(_ detail: String) -> Problem {
        Problem(status: .payloadTooLarge, slug: "payload-too-large", title: "Request body too large", detail: detail)
    }

    public static func requestTimeout(_ detail: String) -> Problem {
        Problem(status: .requestTimeout, slug: "request-timeout", title: "The request was not received in time", detail: detail)
    }

    public static func serviceUnavailable(_ detail: String, retryAfterSeconds: Int) -> Problem {
        var headers = HTTPFields()
        headers.append(name: "Retry-After", value: String(retryAfterSeconds))
        return Problem(status: .serviceUnavailable, slug: "service-unavailable", title: "The server cannot take this request now", detail: detail, headers: headers)
    }

    public static let internalError = Problem(
        status: .internalServerError, slug: "internal-error", title: "Internal server error",
        detail: "The server failed to handle this request; the failure is logged under the request id.")

    /// The problem for a request the parser refused (RFC 9112 framing and limits).
    public static func parseError(_ error: HTTPParseError) -> Problem {
        let slug: String
        let title: String
        switch error {
        case .badRequest: (slug, title) = ("malformed-request", "The request violates HTTP/1.1 message syntax")
        case .uriTooLong: (slug, title) = ("uri-too-long", "Request line too long")
        case .headerFieldsTooLarge: (slug, title) = ("header-fields-too-large", "Header section too large")
        case .payloadTooLarge: (slug, title) = ("payload-too-large", "Request body too large")
        case .notImplemented: (slug, title) = ("unsupported-transfer-coding", "Transfer coding not implemented")
        case .versionNotSupported: (slug, title) = ("http-version-not-supported", "HTTP version not supported")
        }
        return Problem(status: HTTPResponseStatus(code: error.status), slug: slug, title: title, detail: error.detail)
    }
}
