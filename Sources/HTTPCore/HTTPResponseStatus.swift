/// A response status code with its reason phrase (RFC 9110 §15).
public struct HTTPResponseStatus: Hashable, Sendable {
    public let code: Int
    public let reasonPhrase: String

    /// The standard reason phrase for registered codes, "Unknown" otherwise.
    public init(code: Int) {
        self.init(code: code, reasonPhrase: Self.standardReason(code))
    }

    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// 1xx, 204 and 304 never carry content (RFC 9110 §6.4.1).
    public var allowsBody: Bool {
        !(100..<200).contains(code) && code != 204 && code != 304
    }

    public static let `continue` = HTTPResponseStatus(code: 100)
    public static let switchingProtocols = HTTPResponseStatus(code: 101)
    public static let ok = HTTPResponseStatus(code: 200)
    public static let created = HTTPResponseStatus(code: 201)
    public static let accepted = HTTPResponseStatus(code: 202)
    public static let noContent = HTTPResponseStatus(code: 204)
    public static let notModified = HTTPResponseStatus(code: 304)
    public static let badRequest = HTTPResponseStatus(code: 400)
    public static let unauthorized = HTTPResponseStatus(code: 401)
    public static let forbidden = HTTPResponseStatus(code: 403)
    public static let notFound = HTTPResponseStatus(code: 404)
    public static let methodNotAllowed = HTTPResponseStatus(code: 405)
    public static let requestTimeout = HTTPResponseStatus(code: 408)
    public static let conflict = HTTPResponseStatus(code: 409)
    public static let preconditionFailed = HTTPResponseStatus(code: 412)
    public static let payloadTooLarge = HTTPResponseStatus(code: 413)
    public static let uriTooLong = HTTPResponseStatus(code: 414)
    public static let unsupportedMediaType = HTTPResponseStatus(code: 415)
    public static let unprocessableContent = HTTPResponseStatus(code: 422)
    public static let tooManyRequests = HTTPResponseStatus(code: 429)
    public static let requestHeaderFieldsTooLarge = HTTPResponseStatus(code: 431)
    public static let internalServerError = HTTPResponseStatus(code: 500)
    public static let notImplemented = HTTPResponseStatus(code: 501)
    public static let serviceUnavailable = HTTPResponseStatus(code: 503)
    public static let httpVersionNotSupported = HTTPResponseStatus(code: 505)

    /// Reason phrases as registered in the IANA HTTP Status Code Registry (RFC 9110 names).
    static func standardReason(_ code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 102: "Processing"
        case 103: "Early Hints"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 203: "Non-Authoritative Information"
        case 204: "No Content"
        case 205: "Reset Content"
        case 206: "Partial Content"
        case 207: "Multi-Status"
        case 208: "Already Reported"
        case 226: "IM Used"
        case 300: "Multiple Choices"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 305: "Use Proxy"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 407: "Proxy Authentication Required"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Range Not Satisfiable"
        case 417: "Expectation Failed"
        case 421: "Misdirected Request"
        case 422: "Unprocessable Content"
        case 423: "Locked"
        case 424: "Failed Dependency"
        case 425: "Too Early"
        case 426: "Upgrade Required"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        case 506: "Variant Also Negotiates"
        case 507: "Insufficient Storage"
        case 508: "Loop Detected"
        case 511: "Network Authentication Required"
        default: "Unknown"
        }
    }
}
