import MWRASPCore

/// One deduplicated alert: every alert event with the same fingerprint received within the
/// dedup window of the previous one is counted here instead of opening a new alert.
public struct AlertRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var fingerprint: String
    public var firstEventID: EventID
    public var lastEventID: EventID
    public var count: Int
    /// `receivedAt` of the first and the latest event, milliseconds since the Unix epoch.
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var severity: Severity?
    public var status: String?
    public var title: String?
    public var source: EventSource

    public init(id: Int64, fingerprint: String, firstEventID: EventID, lastEventID: EventID, count: Int,
                firstSeen: Int64, lastSeen: Int64, severity: Severity?, status: String?, title: String?,
                source: EventSource) {
        self.id = id
        self.fingerprint = fingerprint
        self.firstEventID = firstEventID
        self.lastEventID = lastEventID
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.severity = severity
        self.status = status
        self.title = title
        self.source = source
    }
}
