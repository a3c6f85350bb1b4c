import MWRASPCore

/// A filter over stored events. Filters are ANDed; nil means "any".
public struct EventQuery: Sendable, Equatable {
    /// `@timestamp >= from` (milliseconds).
    public var from: Int64?
    /// `@timestamp < to` (milliseconds).
    public var to: Int64?
    public var sourceIP: String?
    public var destinationIP: String?
    public var hostName: String?
    public var userName: String?
    public var dataset: String?
    public var kind: EventKind?
    public var source: EventSource?
    /// Page size, 1...1000 (values outside are clamped).
    public var limit: Int = 50
    /// Opaque, from a previous page's `nextCursor`.
    public var cursor: String?

    public init(from: Int64? = nil, to: Int64? = nil, sourceIP: String? = nil, destinationIP: String? = nil,
                hostName: String? = nil, userName: String? = nil, dataset: String? = nil,
                kind: EventKind? = nil, source: EventSource? = nil, limit: Int = 50, cursor: String? = nil) {
        self.from = from
        self.to = to
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.hostName = hostName
        self.userName = userName
        self.dataset = dataset
        self.kind = kind
        self.source = source
        self.limit = limit
        self.cursor = cursor
    }
}
