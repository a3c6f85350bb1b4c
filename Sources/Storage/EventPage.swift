/// One page of events, newest first (by id, descending). `nextCursor` is nil on the last page.
public struct EventPage: Sendable, Equatable {
    public var items: [StoredEvent]
    public var nextCursor: String?

    public init(items: [StoredEvent], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
