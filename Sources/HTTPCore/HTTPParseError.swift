/// Why a request was refused. Every case maps to one status; after any of them the connection
/// must be closed, since the framing of what follows can no longer be trusted.
public enum HTTPParseError: Error, Sendable, Equatable {
    /// 400, with a precise reason such as "obs-fold is not allowed".
    case badRequest(String)
    /// 414: request line over `maxRequestLineBytes`.
    case uriTooLong
    /// 431: field section over `maxHeaderBytes` or `maxHeaderCount`.
    case headerFieldsTooLarge
    /// 413: body over `maxBodyBytes`.
    case payloadTooLarge
    /// 501: a transfer coding other than chunked.
    case notImplemented(String)
    /// 505: a well-formed version other than HTTP/1.0 and HTTP/1.1.
    case versionNotSupported

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .uriTooLong: 414
        case .headerFieldsTooLarge: 431
        case .payloadTooLarge: 413
        case .notImplemented: 501
        case .versionNotSupported: 505
        }
    }

    /// A sentence for the `detail` member of a problem+json body.
    public var detail: String {
        switch self {
        case .badRequest(let reason):
            "The request is malformed: \(reason)."
        case .uriTooLong:
            "The request line is longer than this server accepts."
        case .headerFieldsTooLarge:
            "The request header fields are larger, or more numerous, than this server accepts."
        case .payloadTooLarge:
            "The request body is larger than this server accepts."
        case .notImplemented(let reason):
            "The request uses a feature this server does not implement: \(reason)."
        case .versionNotSupported:
            "Only HTTP/1.0 and HTTP/1.1 are supported."
        }
    }
}
