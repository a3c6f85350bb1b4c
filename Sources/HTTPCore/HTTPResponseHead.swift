/// A response's status line and fields, ready for `HTTPResponseEncoder.encodeHead`.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var version: HTTPVersion = .http1_1
    public var headers: HTTPFields

    public init(status: HTTPResponseStatus, version: HTTPVersion = .http1_1, headers: HTTPFields = [:]) {
        self.status = status
        self.version = version
        self.headers = headers
    }
}
