import MWRASPCore

/// One detection as an incident remembers it: enough to show it, to re-score new findings
/// against it after a restart, and to count its dedup repeats.
public struct IncidentFinding: Sendable, Equatable, Codable {
    public var detectionID: String
    public var detectorID: String
    public var type: DetectionType
    public var title: String
    public var severity: Severity
    public var confidence: Double
    /// What fired, as the detector reported it.
    public var indicators: [Indicator]
    public var eventIDs: [EventID]
    public var eventTime: Int64
    public var detectedAt: Int64
    public var entities: Entities
    /// How many times the deduplicator saw it (1 = once). A later report of the same detection
    /// with a higher count raises it.
    public var repeatCount: Int
    /// The score with which it joined (nil for the finding that opened the incident).
    public var score: Double?
    /// The entities it shared with the finding it matched best.
    public var sharedEntities: [EntityKind]

    public init(detection: Detection, repeatCount: Int, score: CorrelationScore?) {
        detectionID = detection.id
        detectorID = detection.finding.detectorID
        type = detection.finding.type
        title = detection.finding.title
        severity = detection.finding.severity
        // NaN (a detector bug) reads as 0 rather than poisoning the incident and its JSON.
        confidence = detection.finding.confidence.isNaN ? 0 : min(max(detection.finding.confidence, 0), 1)
        indicators = detection.finding.indicators
        eventIDs = detection.finding.eventIDs
        eventTime = detection.eventTime
        detectedAt = detection.detectedAt
        entities = detection.finding.entities
        self.repeatCount = max(1, repeatCount)
        self.score = score?.value
        sharedEntities = score?.shared ?? []
    }

    enum CodingKeys: String, CodingKey {
        case detectionID = "detection_id", detectorID = "detector_id", type, title, severity, confidence, indicators
        case eventIDs = "event_ids", eventTime = "event_time", detectedAt = "detected_at", entities
        case repeatCount = "repeat_count", score, sharedEntities = "shared_entities"
    }

    /// ECS-like flat names; `Entities`' own Codable would write camelCase.
    enum EntityKeys: String, CodingKey {
        case sourceIP = "source_ip", destinationIP = "destination_ip", userName = "user_name", hostName = "host_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        detectionID = try c.decode(String.self, forKey: .detectionID)
        detectorID = try c.decode(String.self, forKey: .detectorID)
        type = try c.decode(DetectionType.self, forKey: .type)
        title = try c.decode(String.self, forKey: .title)
        severity = try c.decodeSeverity(forKey: .severity)
        confidence = try c.decode(Double.self, forKey: .confidence)
        indicators = try c.decodeIfPresent([Indicator].self, forKey: .indicators) ?? []
        eventIDs = try c.decodeIfPresent([EventID].self, forKey: .eventIDs) ?? []
        eventTime = try c.decodeTime(forKey: .eventTime)
        detectedAt = try c.decodeTime(forKey: .detectedAt)
        let e = try c.nestedContainer(keyedBy: EntityKeys.self, forKey: .entities)
        entities = Entities(sourceIP: try e.decodeIfPresent(String.self, forKey: .sourceIP),
                            destinationIP: try e.decodeIfPresent(String.self, forKey: .destinationIP),
                            userName: try e.decodeIfPresent(String.self, forKey: .userName),
                            hostName: try e.decodeIfPresent(String.self, forKey: .hostName))
        repeatCount = try c.decodeIfPresent(Int.self, forKey: .repeatCount) ?? 1
        score = try c.decodeIfPresent(Double.self, forKey: .score)
        sharedEntities = try c.decodeIfPresent([EntityKind].self, forKey: .sharedEntities) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(detectionID, forKey: .detectionID)
        try c.encode(detectorID, forKey: .detectorID)
        try c.encode(type, forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encodeSeverity(severity, forKey: .severity)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(indicators, forKey: .indicators)
        try c.encode(eventIDs, forKey: .eventIDs)
        try c.encodeTime(eventTime, forKey: .eventTime)
        try c.encodeTime(detectedAt, forKey: .detectedAt)
        var e = c.nestedContainer(keyedBy: EntityKeys.self, forKey: .entities)
        try e.encodeIfPresent(entities.sourceIP, forKey: .sourceIP)
        try e.encodeIfPresent(entities.destinationIP, forKey: .destinationIP)
        try e.encodeIfPresent(entities.userName, forKey: .userName)
        try e.encodeIfPresent(entities.hostName, forKey: .hostName)
        try c.encode(repeatCount, forKey: .repeatCount)
        try c.encodeIfPresent(score, forKey: .score)
        try c.encode(sharedEntities, forKey: .sharedEntities)
    }
}
