import MWRASPCore

/// An event as stored, with the alert it was deduplicated into (alerts with a fingerprint only).
public struct StoredEvent: Sendable, Equatable {
    public var event: Event
    public var alertID: Int64?

    public init(event: Event, alertID: Int64?) {
        self.event = event
        self.alertID = alertID
    }
}
