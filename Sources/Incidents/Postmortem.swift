import MWRASPCore

/// The INC-001 phase-5 report (`GET /v1/incidents/{id}/postmortem`), built only from the
/// incident's record, so it can be regenerated at any time and always agrees with it.
/// Durations in milliseconds; nil when the incident has not got that far.
public struct Postmortem: Sendable, Equatable, Codable {
    /// How one phase went: when it was entered and left, and its window.
    public struct PhaseReport: Sendable, Equatable, Codable {
        public var phase: IncidentPhase
        public var enteredAt: Int64?
        public var leftAt: Int64?
        public var durationMs: Int64?
        public var deadline: Int64?
        public var skipped: Bool
        public var breached: Bool

        enum CodingKeys: String, CodingKey {
            case phase, enteredAt = "entered_at", leftAt = "left_at", durationMs = "duration_ms", deadline, skipped, breached
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            phase = try c.decode(IncidentPhase.self, forKey: .phase)
            enteredAt = try c.decodeTimeIfPresent(forKey: .enteredAt)
            leftAt = try c.decodeTimeIfPresent(forKey: .leftAt)
            durationMs = try c.decodeIfPresent(Int64.self, forKey: .durationMs)
            deadline = try c.decodeTimeIfPresent(forKey: .deadline)
            skipped = try c.decode(Bool.self, forKey: .skipped)
            breached = try c.decode(Bool.self, forKey: .breached)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(phase, forKey: .phase)
            try c.encodeTimeIfPresent(enteredAt, forKey: .enteredAt)
            try c.encodeTimeIfPresent(leftAt, forKey: .leftAt)
            try c.encodeIfPresent(durationMs, forKey: .durationMs)
            try c.encodeTimeIfPresent(deadline, forKey: .deadline)
            try c.encode(skipped, forKey: .skipped)
            try c.encode(breached, forKey: .breached)
        }

        init(phase: IncidentPhase, enteredAt: Int64?, leftAt: Int64?, deadline: Int64?, skipped: Bool, breached: Bool) {
            self.phase = phase
            self.enteredAt = enteredAt
            self.leftAt = leftAt
            durationMs = enteredAt.flatMap { entered in leftAt.map { $0 - entered } }
            self.deadline = deadline
            self.skipped = skipped
            self.breached = breached
        }
    }

    /// A finding turned into advice, with a stable code so dashboards can group them.
    public struct Recommendation: Sendable, Equatable, Codable {
        public var code: String
        public var text: String

        public init(code: String, text: String) {
            self.code = code
            self.text = text
        }
    }

    public var incidentID: String
    public var title: String
    public var severity: Severity
    public var status: IncidentStatus
    public var disposition: Disposition?
    public var generatedAt: Int64
    /// False until the incident reached lessons learned: the report is preliminary.
    public var complete: Bool
    public var timeToDetectMs: Int64?
    public var timeToAcknowledgeMs: Int64?
    public var timeToContainMs: Int64?
    public var timeToRecoverMs: Int64?
    public var phases: [PhaseReport]
    public var slaBreaches: [SLABreach]
    public var responseTimers: [ResponseTimer]
    public var detectorIDs: [String]
    public var entities: IncidentEntities
    public var findingCount: Int
    public var occurrenceCount: Int
    public var timeline: [TimelineEntry]
    public var recommendations: [Recommendation]

    enum CodingKeys: String, CodingKey {
        case incidentID = "incident_id", title, severity, status, disposition, generatedAt = "generated_at", complete
        case timeToDetectMs = "time_to_detect_ms", timeToAcknowledgeMs = "time_to_acknowledge_ms"
        case timeToContainMs = "time_to_contain_ms", timeToRecoverMs = "time_to_recover_ms"
        case phases, slaBreaches = "sla_breaches", responseTimers = "response_timers", detectorIDs = "detector_ids"
        case entities, findingCount = "finding_count", occurrenceCount = "occurrence_count", timeline, recommendations
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        incidentID = try c.decode(String.self, forKey: .incidentID)
        title = try c.decode(String.self, forKey: .title)
        severity = try c.decodeSeverity(forKey: .severity)
        status = try c.decode(IncidentStatus.self, forKey: .status)
        disposition = try c.decodeIfPresent(Disposition.self, forKey: .disposition)
        generatedAt = try c.decodeTime(forKey: .generatedAt)
        complete = try c.decode(Bool.self, forKey: .complete)
        timeToDetectMs = try c.decodeIfPresent(Int64.self, forKey: .timeToDetectMs)
        timeToAcknowledgeMs = try c.decodeIfPresent(Int64.self, forKey: .timeToAcknowledgeMs)
        timeToContainMs = try c.decodeIfPresent(Int64.self, forKey: .timeToContainMs)
        timeToRecoverMs = try c.decodeIfPresent(Int64.self, forKey: .timeToRecoverMs)
        phases = try c.decode([PhaseReport].self, forKey: .phases)
        slaBreaches = try c.decode([SLABreach].self, forKey: .slaBreaches)
        responseTimers = try c.decode([ResponseTimer].self, forKey: .responseTimers)
        detectorIDs = try c.decode([String].self, forKey: .detectorIDs)
        entities = try c.decode(IncidentEntities.self, forKey: .entities)
        findingCount = try c.decode(Int.self, forKey: .findingCount)
        occurrenceCount = try c.decode(Int.self, forKey: .occurrenceCount)
        timeline = try c.decode([TimelineEntry].self, forKey: .timeline)
        recommendations = try c.decode([Recommendation].self, forKey: .recommendations)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incidentID, forKey: .incidentID)
        try c.encode(title, forKey: .title)
        try c.encodeSeverity(severity, forKey: .severity)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(disposition, forKey: .disposition)
        try c.encodeTime(generatedAt, forKey: .generatedAt)
        try c.encode(complete, forKey: .complete)
        try c.encodeIfPresent(timeToDetectMs, forKey: .timeToDetectMs)
        try c.encodeIfPresent(timeToAcknowledgeMs, forKey: .timeToAcknowledgeMs)
        try c.encodeIfPresent(timeToContainMs, forKey: .timeToContainMs)
        try c.encodeIfPresent(timeToRecoverMs, forKey: .timeToRecoverMs)
        try c.encode(phases, forKey: .phases)
        try c.encode(slaBreaches, forKey: .slaBreaches)
        try c.encode(responseTimers, forKey: .responseTimers)
        try c.encode(detectorIDs, forKey: .detectorIDs)
        try c.encode(entities, forKey: .entities)
        try c.encode(findingCount, forKey: .findingCount)
        try c.encode(occurrenceCount, forKey: .occurrenceCount)
        try c.encode(timeline, forKey: .timeline)
        try c.encode(recommendations, forKey: .recommendations)
    }
}
