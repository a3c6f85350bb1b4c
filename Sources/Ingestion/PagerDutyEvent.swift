import MWRASPCore

/// A PagerDuty Events API v2 request, normalized: the handler needs the routing key (the
/// ingest token on `/v2/enqueue`, API.md), the action and the dedup key for its
/// `{"status":"success","dedup_key":...}` reply, and the event to store.
public struct PagerDutyEvent: Sendable {
    public var routingKey: String
    /// `trigger`, `acknowledge` or `resolve`.
    public var action: String
    public var dedupKey: String
    public var event: Event

    public init(routingKey: String, action: String, dedupKey: String, event: Event) {
        self.routingKey = routingKey
        self.action = action
        self.dedupKey = dedupKey
        self.event = event
    }
}
