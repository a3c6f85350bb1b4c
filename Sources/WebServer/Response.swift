import HTTPCore

/// A complete response. The connection adds `Date`, `Content-Length`, `Connection` and
/// `X-Request-Id`; handlers set the rest.
public struct Response: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPFields
    public var body: [UInt8]

    public init(status: HTTPResponseStatus = .ok, headers: HTTPFields = HTTPFields(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Bytes already serialized as JSON.
    public static func json(bytes: [UInt8], status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPFields()
        headers.append(name: "Content-Type", value: "application/json")
        return Response(status: status, headers: headers, body: bytes)
    }

    public static func text(_ text: String, status: HTTPResponseStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers.append(name: "Content-Type", value: contentType)
        return Response(status: status, headers: headers, body: Array(text.utf8))
    }
}
