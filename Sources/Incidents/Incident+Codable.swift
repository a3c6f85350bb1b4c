import MWRASPCore

extension Incident: Codable {
    enum CodingKeys: String, CodingKey {
        case id, type, detectorID = "detector_id", title, severity, confidence, status, phase
        case phaseHistory = "phase_history", openedAt = "opened_at", updatedAt = "updated_at"
        case lastFindingAt = "last_finding_at", acknowledgedAt = "acknowledged_at"
        case containedAt = "contained_at", resolvedAt = "resolved_at", closedAt = "closed_at"
        case firstEventAt = "first_event_at", lastEventAt = "last_event_at"
        case detectorIDs = "detector_ids", entities, indicators, findings, detectionIDs = "detection_ids"
        case findingCount = "finding_count", occurrenceCount = "occurrence_count"
        case assignee, disposition, slaBreaches = "sla_breaches", responseTimers = "response_timers"
        case milestones, timelineCount = "timeline_count"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        type = try c.decode(DetectionType.self, forKey: .type)
        detectorID = try c.decode(String.self, forKey: .detectorID)
        title = try c.decode(String.self, forKey: .title)
        severity = try c.decodeSeverity(forKey: .severity)
        confidence = try c.decode(Double.self, forKey: .confidence)
        phase = try c.decode(IncidentPhase.self, forKey: .phase)
        phaseHistory = try c.decode([PhaseStamp].self, forKey: .phaseHistory)
        openedAt = try c.decodeTime(forKey: .openedAt)
        updatedAt = try c.decodeTime(forKey: .updatedAt)
        lastFindingAt = try c.decodeTimeIfPresent(forKey: .lastFindingAt) ?? updatedAt
        acknowledgedAt = try c.decodeTimeIfPresent(forKey: .acknowledgedAt)
        detectorIDs = try c.decode([String].self, forKey: .detectorIDs)
        entities = try c.decode(IncidentEntities.self, forKey: .entities)
        indicators = try c.decodeIfPresent([Indicator].self, forKey: .indicators) ?? []
        findings = try c.decode([IncidentFinding].self, forKey: .findings)
        assignee = try c.decodeIfPresent(String.self, forKey: .assignee)
        disposition = try c.decodeIfPresent(Disposition.self, forKey: .disposition)
        slaBreaches = try c.decodeIfPresent([SLABreach].self, forKey: .slaBreaches) ?? []
        responseTimers = try c.decodeIfPresent([ResponseTimer].self, forKey: .responseTimers) ?? []
        milestones = try c.decodeIfPresent([MilestoneStamp].self, forKey: .milestones) ?? []
        timelineCount = try c.decodeIfPresent(Int.self, forKey: .timelineCount) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(detectorID, forKey: .detectorID)
        try c.encode(title, forKey: .title)
        try c.encodeSeverity(severity, forKey: .severity)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(status, forKey: .status)
        try c.encode(phase, forKey: .phase)
        try c.encode(phaseHistory, forKey: .phaseHistory)
        try c.encodeTime(openedAt, forKey: .openedAt)
        try c.encodeTime(updatedAt, forKey: .updatedAt)
        try c.encodeTime(lastFindingAt, forKey: .lastFindingAt)
        try c.encodeTimeIfPresent(acknowledgedAt, forKey: .acknowledgedAt)
        try c.encodeTimeIfPresent(containedAt, forKey: .containedAt)
        try c.encodeTimeIfPresent(resolvedAt, forKey: .resolvedAt)
        try c.encodeTimeIfPresent(closedAt, forKey: .closedAt)
        try c.encodeTime(firstEventAt, forKey: .firstEventAt)
        try c.encodeTime(lastEventAt, forKey: .lastEventAt)
        try c.encode(detectorIDs, forKey: .detectorIDs)
        try c.encode(entities, forKey: .entities)
        try c.encode(indicators, forKey: .indicators)
        try c.encode(findings, forKey: .findings)
        try c.encode(detectionIDs, forKey: .detectionIDs)
        try c.encode(findingCount, forKey: .findingCount)
        try c.encode(occurrenceCount, forKey: .occurrenceCount)
        try c.encodeIfPresent(assignee, forKey: .assignee)
        try c.encodeIfPresent(disposition, forKey: .disposition)
        try c.encode(slaBreaches, forKey: .slaBreaches)
        try c.encode(responseTimers, forKey: .responseTimers)
        try c.encode(milestones, forKey: .milestones)
        try c.encode(timelineCount, forKey: .timelineCount)
    }
}
