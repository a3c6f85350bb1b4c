/// What kind of record an event is. Alerts from SIEMs are findings in their own right;
/// telemetry and plain events go through the detectors (issue 4).
public enum EventKind: String, Sendable, Codable, CaseIterable {
    case alert
    case event
    case telemetry
}

/// Which integration an event came through.
public enum EventSource: String, Sendable, Codable, CaseIterable {
    case generic
    case alertmanager
    case splunk
    case elastic
    case pagerduty
    case hec
}

/// One normalized event. The ECS fields every stage needs (filters, correlation, dedup) are
/// typed properties; the full normalized document and the original bytes are kept as JSON,
/// so nothing the sender said is lost and detectors can read any field.
public struct Event: Sendable, Equatable {
    public var id: EventID
    /// `@timestamp`: when it happened, per the sender; the receive time when it gave none.
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// When MWRASP accepted it, milliseconds since the Unix epoch.
    public var receivedAt: Int64
    public var source: EventSource
    public var kind: EventKind
    /// `event.dataset` (e.g. `mwrasp.quantum`, `suricata.alert`).
    public var dataset: String?
    /// `event.severity`, normalized.
    public var severity: Severity?
    /// `message` / alert title / summary.
    public var title: String?
    /// `source.ip`, `destination.ip`, `user.name`, `host.name`.
    public var sourceIP: String?
    public var destinationIP: String?
    public var userName: String?
    public var hostName: String?
    /// The sender's own id or dedup key (`id`, Alertmanager fingerprint, PagerDuty dedup_key,
    /// Splunk sid...), scoped by `source`; makes retries idempotent.
    public var externalID: String?
    /// Lifecycle words some senders carry: `firing`/`resolved`, `trigger`/`acknowledge`/`resolve`.
    public var status: String?
    /// The normalized document: ECS names at the top level, the sender's unknown fields kept.
    /// Valid JSON (an object), UTF-8.
    public var document: [UInt8]
    /// The bytes of this event exactly as received (one NDJSON line, one alert of a webhook...).
    public var original: [UInt8]

    public init(id: EventID, timestamp: Int64, receivedAt: Int64, source: EventSource, kind: EventKind,
                dataset: String? = nil, severity: Severity? = nil, title: String? = nil,
                sourceIP: String? = nil, destinationIP: String? = nil, userName: String? = nil, hostName: String? = nil,
                externalID: String? = nil, status: String? = nil, document: [UInt8], original: [UInt8]) {
        self.id = id
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        self.source = source
        self.kind = kind
        self.dataset = dataset
        self.severity = severity
        self.title = title
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.userName = userName
        self.hostName = hostName
        self.externalID = externalID
        self.status = status
        self.document = document
        self.original = original
    }
}
