/// A request method (RFC 9110 §9). Methods are case-sensitive tokens, so `get` is not `GET`.
public struct HTTPMethod: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static let get = HTTPMethod("GET")
    public static let head = HTTPMethod("HEAD")
    public static let post = HTTPMethod("POST")
    public static let put = HTTPMethod("PUT")
    public static let patch = HTTPMethod("PATCH")
    public static let delete = HTTPMethod("DELETE")
    public static let options = HTTPMethod("OPTIONS")
    public static let trace = HTTPMethod("TRACE")
    public static let connect = HTTPMethod("CONNECT")
}

extension HTTPMethod {
    /// Builds the method from request-line bytes, reusing the shared constants for the common
    /// methods so that parsing a request does not build a fresh String for them.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod {
        switch bytes.count {
        case 3:
            if bytes[0] == UInt8(ascii: "G"), bytes[1] == UInt8(ascii: "E"), bytes[2] == UInt8(ascii: "T") {
                return .get
            }
            if bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "U"), bytes[2] == UInt8(ascii: "T") {
                return .put
            }
        case 4:
            if ASCII.equals(bytes, "POST") { return .post }
            if ASCII.equals(bytes, "HEAD") { return .head }
        case 5:
            if ASCII.equals(bytes, "PATCH") { return .patch }
            if ASCII.equals(bytes, "TRACE") { return .trace }
        case 6:
            if ASCII.equals(bytes, "DELETE") { return .delete }
        case 7:
            if ASCII.equals(bytes, "OPTIONS") { return .options }
            if ASCII.equals(bytes, "CONNECT") { return .connect }
        default:
            break
        }
        return HTTPMethod(String(decoding: bytes, as: UTF8.self))
    }
}
