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
///
/// A value type whose fields live in one immutable, shared box: an event is copied many times
/// on its way (the writer's log and index batches, the newest-events buffer, the detection
/// pipeline's batches and inputs), and with a dozen strings and two byte arrays stored inline
/// every copy retained and released each of them: a sixth of the detection pipeline's CPU was
/// reference counting, most of it on events. Now a copy is one retain. Setting a field (rare:
/// events are built whole) makes a new box.
public struct Event: Sendable, Equatable {
    /// The stored fields, as a plain struct.
    @usableFromInline
    struct Fields: Sendable, Equatable {
        @usableFromInline var id: EventID
        @usableFromInline var timestamp: Int64
        @usableFromInline var receivedAt: Int64
        @usableFromInline var source: EventSource
        @usableFromInline var kind: EventKind
        @usableFromInline var dataset: String?
        @usableFromInline var severity: Severity?
        @usableFromInline var title: String?
        @usableFromInline var sourceIP: String?
        @usableFromInline var destinationIP: String?
        @usableFromInline var userName: String?
        @usableFromInline var hostName: String?
        @usableFromInline var externalID: String?
        @usableFromInline var status: String?
        @usableFromInline var document: [UInt8]
        @usableFromInline var original: [UInt8]
    }

    /// Immutable (`let`), so reads need no exclusivity checks.
    @usableFromInline
    final class Box: Sendable {
        @usableFromInline let fields: Fields
        @usableFromInline init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline var box: Box

    /// Setting a field makes a new box (the old one may be shared).
    mutating func set<Value>(_ field: WritableKeyPath<Fields, Value>, _ value: Value) {
        var fields = box.fields
        fields[keyPath: field] = value
        box = Box(fields)
    }

    public var id: EventID {
        @inlinable get { box.fields.id }
        set { set(\.id, newValue) }
    }
    /// `@timestamp`: when it happened, per the sender; the receive time when it gave none.
    /// Milliseconds since the Unix epoch.
    public var timestamp: Int64 {
        @inlinable get { box.fields.timestamp }
        set { set(\.timestamp, newValue) }
    }
    /// When MWRASP accepted it, milliseconds since the Unix epoch.
    public var receivedAt: Int64 {
        @inlinable get { box.fields.receivedAt }
        set { set(\.receivedAt, newValue) }
    }
    public var source: EventSource {
        @inlinable get { box.fields.source }
        set { set(\.source, newValue) }
    }
    public var kind: EventKind {
        @inlinable get { box.fields.kind }
        set { set(\.kind, newValue) }
    }
    /// `event.dataset` (e.g. `mwrasp.quantum`, `suricata.alert`).
    public var dataset: String? {
        @inlinable get { box.fields.dataset }
        set { set(\.dataset, newValue) }
    }
    /// `event.severity`, normalized.
    public var severity: Severity? {
        @inlinable get { box.fields.severity }
        set { set(\.severity, newValue) }
    }
    /// `message` / alert title / summary.
    public var title: String? {
        @inlinable get { box.fields.title }
        set { set(\.title, newValue) }
    }
    /// `source.ip`, `destination.ip`, `user.name`, `host.name`.
    public var sourceIP: String? {
        @inlinable get { box.fields.sourceIP }
        set { set(\.sourceIP, newValue) }
    }
    public var destinationIP: String? {
        @inlinable get { box.fields.destinationIP }
        set { set(\.destinationIP, newValue) }
    }
    public var userName: String? {
        @inlinable get { box.fields.userName }
        set { set(\.userName, newValue) }
    }
    public var hostName: String? {
        @inlinable get { box.fields.hostName }
        set { set(\.hostName, newValue) }
    }
    /// The sender's own id or dedup key (`id`, Alertmanager fingerprint, PagerDuty dedup_key,
    /// Splunk sid...), scoped by `source`; makes retries idempotent.
    public var externalID: String? {
        @inlinable get { box.fields.externalID }
        set { set(\.externalID, newValue) }
    }
    /// Lifecycle words some senders carry: `firing`/`resolved`, `trigger`/`acknowledge`/`resolve`.
    public var status: String? {
        @inlinable get { box.fields.status }
        set { set(\.status, newValue) }
    }
    /// The normalized document: ECS names at the top level, the sender's unknown fields kept.
    /// Valid JSON (an object), UTF-8.
    public var document: [UInt8] {
        @inlinable get { box.fields.document }
        set { set(\.document, newValue) }
    }
    /// The bytes of this event exactly as received (one NDJSON line, one alert of a webhook...).
    public var original: [UInt8] {
        @inlinable get { box.fields.original }
        set { set(\.original, newValue) }
    }

    /// The same event with these document and original bytes (one new box, not two).
    public func withBytes(document: [UInt8], original: [UInt8]) -> Event {
        var fields = box.fields
        fields.document = document
        fields.original = original
        var copy = self
        copy.box = Box(fields)
        return copy
    }

    /// The same event without its document and original (one new box, not two).
    public func withoutBytes() -> Event { withBytes(document: [], original: []) }

    public init(id: EventID, timestamp: Int64, receivedAt: Int64, source: EventSource, kind: EventKind,
                dataset: String? = nil, severity: Severity? = nil, title: String? = nil,
                sourceIP: String? = nil, destinationIP: String? = nil, userName: String? = nil, hostName: String? = nil,
                externalID: String? = nil, status: String? = nil, document: [UInt8], original: [UInt8]) {
        box = Box(Fields(
            id: id, timestamp: timestamp, receivedAt: receivedAt, source: source, kind: kind, dataset: dataset,
            severity: severity, title: title, sourceIP: sourceIP, destinationIP: destinationIP, userName: userName,
            hostName: hostName, externalID: externalID, status: status, document: document, original: original))
    }

    public static func == (lhs: Event, rhs: Event) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }
}
