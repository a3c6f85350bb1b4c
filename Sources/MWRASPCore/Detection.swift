/// What produced a detection.
public enum DetectionType: String, Sendable, Codable, CaseIterable {
    /// An alert a SIEM sent (every ingestion format's alerts are findings in their own right).
    case siemAlert = "siem_alert"
    /// A Sigma rule matched one event.
    case sigma
    /// A Sigma correlation rule (counts or sequences in a time window) fired.
    case sigmaCorrelation = "sigma_correlation"
    /// An indicator of compromise (IP, CIDR, domain, hash) from a managed list was seen.
    case ioc
    /// A metric deviated from its EWMA baseline by more than the configured sigmas.
    case baseline
    /// A catalog detector from the seed (QTD-001, QTD-002, QTD-003...).
    case catalog
    /// A compliance classifier (COMP-001: card numbers, PHI, EU personal data).
    case compliance
    /// A canary token (honeytoken) was used or seen.
    case canary
}

/// One piece of evidence behind a finding: which indicator fired and with what value
/// (`{"name": "CommandLine|contains", "value": "-enc"}`, `{"name": "chsh_s", "value": "2.41"}`).
public struct Indicator: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The entities correlation works on (DESIGN.md §5): `source.ip`, `destination.ip`,
/// `user.name`, `host.name`.
public struct Entities: Sendable, Equatable, Hashable, Codable {
    public var sourceIP: String?
    public var destinationIP: String?
    public var userName: String?
    public var hostName: String?

    public init(sourceIP: String? = nil, destinationIP: String? = nil, userName: String? = nil, hostName: String? = nil) {
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.userName = userName
        self.hostName = hostName
    }

    public init(of event: Event) {
        self.init(sourceIP: event.sourceIP, destinationIP: event.destinationIP, userName: event.userName, hostName: event.hostName)
    }

    public var isEmpty: Bool { sourceIP == nil && destinationIP == nil && userName == nil && hostName == nil }
}

/// What a detector reports about the event(s) it looked at, before the pipeline stamps it
/// with an id and a time.
public struct Finding: Sendable, Equatable {
    /// The detector's stable id: a seed id (`QTD-001`, `COMP-001`), a Sigma rule's id, `IOC`,
    /// `BASELINE`, `CANARY`...
    public var detectorID: String
    public var type: DetectionType
    public var title: String
    public var severity: Severity
    /// 0...1.
    public var confidence: Double
    public var indicators: [Indicator]
    /// The events behind it (one for a Sigma match, several for a correlation).
    public var eventIDs: [EventID]
    public var entities: Entities

    public init(detectorID: String, type: DetectionType, title: String, severity: Severity, confidence: Double,
                indicators: [Indicator] = [], eventIDs: [EventID], entities: Entities = Entities()) {
        self.detectorID = detectorID
        self.type = type
        self.title = title
        self.severity = severity
        self.confidence = confidence
        self.indicators = indicators
        self.eventIDs = eventIDs
        self.entities = entities
    }
}

/// A stored finding: the `Detection` record of issue 4.
public struct Detection: Sendable, Equatable {
    /// `det_` + a ULID.
    public var id: String
    public var finding: Finding
    /// When the detector produced it, milliseconds since the Unix epoch.
    public var detectedAt: Int64
    /// The time of the (last) event behind it, per the sender.
    public var eventTime: Int64
    /// From ingest (the newest event's receive time) to detection, in seconds.
    public var latencySeconds: Double
    /// The incident it joined, once correlation has run.
    public var incidentID: String?

    public init(id: String, finding: Finding, detectedAt: Int64, eventTime: Int64, latencySeconds: Double, incidentID: String? = nil) {
        self.id = id
        self.finding = finding
        self.detectedAt = detectedAt
        self.eventTime = eventTime
        self.latencySeconds = latencySeconds
        self.incidentID = incidentID
    }
}
