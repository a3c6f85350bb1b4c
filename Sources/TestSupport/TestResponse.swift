/// One HTTP/1.1 response as the raw-bytes test client saw it.
public struct TestResponse: Sendable {
    /// "HTTP/1.1"
    public var version: String
    public var status: Int
    public var reason: String
    /// In received order, duplicates kept (tests check for repeated fields).
    public var headers: [(String, String)]
    /// Decoded body: chunked framing removed, content codings (gzip) left as sent.
    public var body: [UInt8]
    /// Trailer fields of a chunked body.
    public var trailers: [(String, String)]
    /// True when the body was chunked on the wire.
    public var wasChunked: Bool

    /// The first value of `name`, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Every value of `name`, in order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}
