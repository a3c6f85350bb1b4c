import MWRASPCore

/// What a bulk body yielded: the good events, and one error per refused line (`line` set,
/// 1-based), for `{"accepted":N,"rejected":[{"line":L,"error":...}]}` (API.md).
public struct BulkResult: Sendable {
    public var events: [Event]
    public var rejected: [IngestError]

    public init(events: [Event] = [], rejected: [IngestError] = []) {
        self.events = events
        self.rejected = rejected
    }
}
