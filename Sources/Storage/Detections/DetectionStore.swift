import MWRASPCore

/// What the detection pipeline keeps: detections, incidents with their timelines, the
/// definitions responders manage over the API (Sigma rules, IOC lists, canaries), and the
/// pipeline's position in the event log. Records are stored as the JSON the API serves, with
/// the columns the filters need beside it; the store does not interpret the JSON.
public protocol DetectionStore: Sendable {
    /// Events stored after `seq` (the events table's physical order = commit order), oldest
    /// first: the detection pipeline tails the log with this. Repeats of an alert come without
    /// their document and original (they are counted, not judged).
    func events(afterSequence seq: Int64, limit: Int) async throws(StoreError) -> [SequencedEvent]
    /// The newest event sequence number (0 when empty).
    func lastEventSequence() async throws(StoreError) -> Int64
    /// Deduplicated alerts last seen at or after `since` (ms), most recently seen first, at most
    /// `limit`: the alerts a repeat may still arrive for.
    func recentAlerts(seenSince since: Int64, limit: Int) async throws(StoreError) -> [AlertOrigin]

    /// One transaction: the detections, the incident snapshots and timeline entries they caused,
    /// and the pipeline checkpoint. Because the checkpoint commits with the results, a crash
    /// never loses a detection and never repeats one. Rows built with a deferred document
    /// (`encoding:`) are encoded here, before the write (`DetectionBatch.encodeDocuments`).
    func commit(_ batch: DetectionBatch) async throws(StoreError)
    func checkpoint(_ name: String) async throws(StoreError) -> Int64?

    func detections(_ query: RecordQuery) async throws(StoreError) -> RecordPage
    func detection(id: String) async throws(StoreError) -> [UInt8]?

    func incidents(_ query: RecordQuery) async throws(StoreError) -> RecordPage
    func incident(id: String) async throws(StoreError) -> [UInt8]?
    /// Every incident snapshot updated at or after `since` (ms), for rebuilding the in-memory
    /// correlation state after a restart.
    func incidents(updatedSince since: Int64) async throws(StoreError) -> [[UInt8]]
    /// Stores incident snapshots and timeline entries outside a detection batch (PATCH, SLA ticks);
    /// deferred documents are encoded first, as by `commit`.
    func saveIncidents(_ incidents: [IncidentRow], timeline: [TimelineRow]) async throws(StoreError)
    func timeline(incidentID: String) async throws(StoreError) -> [[UInt8]]

    /// Definitions managed over the API, by kind (`sigma`, `ioc_list`, `canary`...).
    func putRecord(_ record: ManagedRecord) async throws(StoreError)
    func deleteRecord(kind: String, id: String) async throws(StoreError) -> Bool
    func records(kind: String) async throws(StoreError) -> [ManagedRecord]
}

public struct SequencedEvent: Sendable {
    public var sequence: Int64
    public var event: Event
    /// The dedup alert this event was counted on (alerts only).
    public var alertID: Int64?
    /// A repeat of an alert already seen in the dedup window: it incremented the first one's
    /// counter instead of opening a new alert.
    public var isRepeat: Bool

    public init(sequence: Int64, event: Event, alertID: Int64? = nil, isRepeat: Bool = false) {
        self.sequence = sequence
        self.event = event
        self.alertID = alertID
        self.isRepeat = isRepeat
    }
}

public struct DetectionRow: Sendable, Equatable, DeferrableDocument {
    public var id: String
    public var detectorID: String
    public var type: String
    public var severity: Int
    public var incidentID: String?
    public var detectedAt: Int64
    /// The API's JSON for it (empty until `encodeDocument` when made with `encoding:`).
    public var document: [UInt8]
    var deferred: DeferredDocument?

    public init(id: String, detectorID: String, type: String, severity: Int, incidentID: String?, detectedAt: Int64, document: [UInt8]) {
        self.id = id
        self.detectorID = detectorID
        self.type = type
        self.severity = severity
        self.incidentID = incidentID
        self.detectedAt = detectedAt
        self.document = document
    }

    /// The document made later by `encoding` (see `DeferredDocument`).
    public init(id: String, detectorID: String, type: String, severity: Int, incidentID: String?, detectedAt: Int64,
                encoding: @escaping @Sendable () -> [UInt8]) {
        self.init(id: id, detectorID: detectorID, type: type, severity: severity, incidentID: incidentID, detectedAt: detectedAt, document: [])
        deferred = DeferredDocument(encoding)
    }
}

public struct IncidentRow: Sendable, Equatable, DeferrableDocument {
    public var id: String
    public var status: String
    public var severity: Int
    public var phase: String
    public var createdAt: Int64
    public var updatedAt: Int64
    public var document: [UInt8]
    var deferred: DeferredDocument?

    public init(id: String, status: String, severity: Int, phase: String, createdAt: Int64, updatedAt: Int64, document: [UInt8]) {
        self.id = id
        self.status = status
        self.severity = severity
        self.phase = phase
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.document = document
    }

    /// The document made later by `encoding` (see `DeferredDocument`).
    public init(id: String, status: String, severity: Int, phase: String, createdAt: Int64, updatedAt: Int64,
                encoding: @escaping @Sendable () -> [UInt8]) {
        self.init(id: id, status: status, severity: severity, phase: phase, createdAt: createdAt, updatedAt: updatedAt, document: [])
        deferred = DeferredDocument(encoding)
    }
}

public struct TimelineRow: Sendable, Equatable, DeferrableDocument {
    public var incidentID: String
    public var at: Int64
    public var document: [UInt8]
    var deferred: DeferredDocument?

    public init(incidentID: String, at: Int64, document: [UInt8]) {
        self.incidentID = incidentID
        self.at = at
        self.document = document
    }

    /// The document made later by `encoding` (see `DeferredDocument`).
    public init(incidentID: String, at: Int64, encoding: @escaping @Sendable () -> [UInt8]) {
        self.init(incidentID: incidentID, at: at, document: [])
        deferred = DeferredDocument(encoding)
    }
}

/// A row's JSON made when the row is committed rather than when it is built. The detection
/// pipeline builds rows on its one correlation thread; in an alert burst, encoding every new
/// detection and incident snapshot there was about a quarter of that thread's time, and every
/// event behind it waited. `SQLiteStore.commit` encodes deferred documents on the committing
/// task, which runs beside correlation, before it hands the rows to SQLite's writer.
/// Compared by identity (two rows are equal when they defer to the same encoding).
final class DeferredDocument: Sendable, Equatable {
    let make: @Sendable () -> [UInt8]

    init(_ make: @escaping @Sendable () -> [UInt8]) { self.make = make }

    static func == (lhs: DeferredDocument, rhs: DeferredDocument) -> Bool { lhs === rhs }
}

/// A row whose document may be deferred.
protocol DeferrableDocument {
    var document: [UInt8] { get set }
    var deferred: DeferredDocument? { get set }
}

extension DeferrableDocument {
    /// Makes the deferred document, if any.
    mutating func encodeDocument() {
        guard let deferred else { return }
        document = deferred.make()
        self.deferred = nil
    }
}

public struct DetectionBatch: Sendable {
    public var detections: [DetectionRow] = []
    public var incidents: [IncidentRow] = []
    public var timeline: [TimelineRow] = []
    /// Checkpoints to record (name -> value), e.g. `detection.sequence`.
    public var checkpoints: [String: Int64] = [:]

    public init() {}

    public var isEmpty: Bool { detections.isEmpty && incidents.isEmpty && timeline.isEmpty && checkpoints.isEmpty }

    /// Makes every deferred document (see `DeferredDocument`); `commit` does it first.
    mutating func encodeDocuments() {
        for index in detections.indices { detections[index].encodeDocument() }
        for index in incidents.indices { incidents[index].encodeDocument() }
        for index in timeline.indices { timeline[index].encodeDocument() }
    }

    /// Adds a later batch to this one, so both commit in one transaction. An incident in both
    /// is written once, as the later snapshot (a snapshot is the incident's whole state);
    /// checkpoints take the later value.
    public mutating func absorb(_ later: DetectionBatch) {
        detections += later.detections
        timeline += later.timeline
        if !later.incidents.isEmpty {
            let replaced = Set(later.incidents.map(\.id))
            incidents.removeAll { replaced.contains($0.id) }
            incidents += later.incidents
        }
        checkpoints.merge(later.checkpoints) { _, newer in newer }
    }
}

public struct ManagedRecord: Sendable, Equatable {
    public var kind: String
    public var id: String
    public var createdAt: Int64
    public var document: [UInt8]

    public init(kind: String, id: String, createdAt: Int64, document: [UInt8]) {
        self.kind = kind
        self.id = id
        self.createdAt = createdAt
        self.document = document
    }
}

/// Filters for detections and incidents, newest first, cursor-paginated by id (ids are
/// prefix + ULID, so they sort by creation time).
public struct RecordQuery: Sendable, Equatable {
    /// Detections: `type`; incidents: `status`.
    public var status: String?
    public var type: String?
    public var detectorID: String?
    public var incidentID: String?
    public var severity: Int?
    public var phase: String?
    public var limit: Int = 50
    public var cursor: String?

    public init() {}
}

public struct RecordPage: Sendable, Equatable {
    public var items: [[UInt8]]
    public var nextCursor: String?

    public init(items: [[UInt8]], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A deduplicated alert and the event that opened it.
public struct AlertOrigin: Sendable, Equatable {
    public var alertID: Int64
    public var firstEventID: EventID

    public init(alertID: Int64, firstEventID: EventID) {
        self.alertID = alertID
        self.firstEventID = firstEventID
    }
}
