/// A parsed request head: request line (RFC 9112 §3) and field section (§5), with the framing
/// decisions the parser already made so the server never re-derives them from raw fields.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: HTTPMethod
    /// The request-target exactly as sent.
    public var target: String
    /// The target up to `?`, without percent-decoding. For absolute-form targets
    /// (`http://host/p?q`, §3.2.2) this is the path component (`/p`, or `/` when empty) so that
    /// routing does not depend on the form; for `*` and authority-form it is the whole target.
    public var path: String
    /// What follows the first `?`, nil when there is none.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPFields
    /// RFC 9112 §9.3: HTTP/1.1 is persistent unless `Connection: close`; HTTP/1.0 only with
    /// `Connection: keep-alive`.
    public var keepAlive: Bool
    /// `Expect: 100-continue` on a request that has a body (RFC 9110 §10.1.1).
    public var expectsContinue: Bool
    public var bodyLength: BodyLength

    public enum BodyLength: Sendable, Equatable {
        /// No Content-Length and no Transfer-Encoding (RFC 9112 §6.3 rule 7).
        case none
        /// Content-Length, possibly 0.
        case fixed(Int)
        /// Transfer-Encoding ending in chunked.
        case chunked
    }

    public init(
        method: HTTPMethod,
        target: String,
        path: String,
        query: String?,
        version: HTTPVersion,
        headers: HTTPFields,
        keepAlive: Bool,
        expectsContinue: Bool,
        bodyLength: BodyLength
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.bodyLength = bodyLength
    }

    /// Convenience for tests and handlers: path and query are split from an origin-form target.
    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPFields = [:],
        keepAlive: Bool = true,
        expectsContinue: Bool = false,
        bodyLength: BodyLength = .none
    ) {
        let path: String
        let query: String?
        if let mark = target.utf8.firstIndex(of: ASCII.question) {
            path = String(target[..<mark])
            query = String(target[target.utf8.index(after: mark)...])
        } else {
            path = target
            query = nil
        }
        self.init(
            method: method, target: target, path: path, query: query, version: version,
            headers: headers, keepAlive: keepAlive, expectsContinue: expectsContinue,
            bodyLength: bodyLength)
    }
}
