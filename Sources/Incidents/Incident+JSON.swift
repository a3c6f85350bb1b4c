import MWRASPCore

// Hand-written JSON for the documents the pipeline stores on every update: the same document as
// the Codable conformances write with `JSONEncoder` and `[.sortedKeys, .withoutEscapingSlashes]`
// (keys in the same sorted order, derived fields included, absent optionals omitted, times as
// RFC 3339, severities by name), at a fraction of the cost. `IncidentJSONTests` checks every
// field against the Codable output; a field added to a `CodingKeys` must be added here too.

extension Incident {
    /// This incident's API/storage JSON, identical to its `Codable` encoding.
    public func jsonBytes() -> [UInt8] {
        var w = IncidentJSONWriter(capacity: 1024 + findings.count * 832 + indicators.count * 96)
        write(to: &w)
        return w.bytes
    }

    func write(to w: inout IncidentJSONWriter) {
        w.beginObject()
        if let acknowledgedAt { w.key("acknowledged_at"); w.time(acknowledgedAt) }
        if let assignee { w.key("assignee"); w.string(assignee) }
        // The derived phase times, computed in one pass over the history (see `reached(_:)`).
        var contained: Int64?, resolved: Int64?, closed: Int64?
        for stamp in phaseHistory {
            if contained == nil, stamp.phase >= .eradication { contained = stamp.enteredAt }
            if resolved == nil, stamp.phase >= .lessonsLearned { resolved = stamp.enteredAt }
            if closed == nil, stamp.phase >= .closed { closed = stamp.enteredAt }
        }
        if let closed { w.key("closed_at"); w.time(closed) }
        w.key("confidence"); w.double(confidence)
        if let contained { w.key("contained_at"); w.time(contained) }
        w.key("detection_ids")
        w.beginArray()
        for finding in findings { w.string(finding.detectionID) }
        w.endArray()
        w.key("detector_id"); w.string(detectorID)
        w.key("detector_ids"); w.strings(detectorIDs)
        if let disposition { w.key("disposition"); w.plainString(disposition.rawValue) }
        w.key("entities")
        w.beginObject()
        w.key("destination_ips"); w.strings(entities.destinationIPs)
        w.key("hosts"); w.strings(entities.hosts)
        w.key("source_ips"); w.strings(entities.sourceIPs)
        w.key("users"); w.strings(entities.users)
        w.endObject()
        // finding_count, occurrence_count, first/last event times: one pass over the findings.
        var occurrences = 0
        var firstEvent = Int64.max, lastEvent = Int64.min
        for finding in findings {
            occurrences += finding.repeatCount
            firstEvent = min(firstEvent, finding.eventTime)
            lastEvent = max(lastEvent, finding.eventTime)
        }
        if findings.isEmpty { firstEvent = openedAt; lastEvent = openedAt }
        w.key("finding_count"); w.int(findings.count)
        w.key("findings")
        w.beginArray()
        for finding in findings { finding.write(to: &w) }
        w.endArray()
        w.key("first_event_at"); w.time(firstEvent)
        w.key("id"); w.string(id)
        w.key("indicators"); Self.write(indicators, to: &w)
        w.key("last_event_at"); w.time(lastEvent)
        w.key("last_finding_at"); w.time(lastFindingAt)
        w.key("milestones")
        w.beginArray()
        for stamp in milestones {
            w.beginObject()
            w.key("at"); w.time(stamp.at)
            w.key("milestone"); w.plainString(stamp.milestone.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("occurrence_count"); w.int(occurrences)
        w.key("opened_at"); w.time(openedAt)
        w.key("phase"); w.plainString(phase.rawValue)
        w.key("phase_history")
        w.beginArray()
        for stamp in phaseHistory {
            w.beginObject()
            w.key("entered_at"); w.time(stamp.enteredAt)
            w.key("phase"); w.plainString(stamp.phase.rawValue)
            w.endObject()
        }
        w.endArray()
        if let resolved { w.key("resolved_at"); w.time(resolved) }
        w.key("response_timers")
        w.beginArray()
        for timer in responseTimers {
            w.beginObject()
            if let breachedAt = timer.breachedAt { w.key("breached_at"); w.time(breachedAt) }
            w.key("deadline"); w.time(timer.deadline)
            if let metAt = timer.metAt { w.key("met_at"); w.time(metAt) }
            w.key("milestone"); w.plainString(timer.milestone.rawValue)
            w.key("severity"); w.severity(timer.severity)
            w.key("started_at"); w.time(timer.startedAt)
            w.key("state"); w.plainString(timer.state.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("severity"); w.severity(severity)
        w.key("sla_breaches")
        w.beginArray()
        for breach in slaBreaches {
            w.beginObject()
            w.key("deadline"); w.time(breach.deadline)
            w.key("phase"); w.plainString(breach.phase.rawValue)
            w.key("recorded_at"); w.time(breach.recordedAt)
            w.endObject()
        }
        w.endArray()
        w.key("status"); w.plainString(status.rawValue)
        w.key("timeline_count"); w.int(timelineCount)
        w.key("title"); w.string(title)
        w.key("type"); w.plainString(type.rawValue)
        w.key("updated_at"); w.time(updatedAt)
        w.endObject()
    }

    static func write(_ indicators: [Indicator], to w: inout IncidentJSONWriter) {
        w.beginArray()
        for indicator in indicators {
            w.beginObject()
            w.key("name"); w.string(indicator.name)
            w.key("value"); w.string(indicator.value)
            w.endObject()
        }
        w.endArray()
    }
}

extension IncidentFinding {
    func write(to w: inout IncidentJSONWriter) {
        w.beginObject()
        w.key("confidence"); w.double(confidence)
        w.key("detected_at"); w.time(detectedAt)
        w.key("detection_id"); w.string(detectionID)
        w.key("detector_id"); w.string(detectorID)
        w.key("entities")
        w.beginObject()
        if let value = entities.destinationIP { w.key("destination_ip"); w.string(value) }
        if let value = entities.hostName { w.key("host_name"); w.string(value) }
        if let value = entities.sourceIP { w.key("source_ip"); w.string(value) }
        if let value = entities.userName { w.key("user_name"); w.string(value) }
        w.endObject()
        w.key("event_ids")
        w.beginArray()
        for eventID in eventIDs { w.string(eventID.rawValue) }
        w.endArray()
        w.key("event_time"); w.time(eventTime)
        w.key("indicators"); Incident.write(indicators, to: &w)
        w.key("repeat_count"); w.int(repeatCount)
        if let score { w.key("score"); w.double(score) }
        w.key("severity"); w.severity(severity)
        w.key("shared_entities")
        w.beginArray()
        for kind in sharedEntities { w.plainString(kind.rawValue) }
        w.endArray()
        w.key("title"); w.string(title)
        w.key("type"); w.plainString(type.rawValue)
        w.endObject()
    }
}

extension TimelineEntry {
    /// This entry's API/storage JSON, identical to its `Codable` encoding.
    public func jsonBytes() -> [UInt8] {
        var w = IncidentJSONWriter(capacity: 160 + summary.utf8.count + refs.count * 40)
        w.beginObject()
        w.key("incident_id"); w.string(incidentID)
        w.key("kind"); w.plainString(kind.rawValue)
        w.key("refs"); w.strings(refs)
        w.key("sequence"); w.int(sequence)
        w.key("summary"); w.string(summary)
        w.key("time"); w.time(time)
        w.endObject()
        return w.bytes
    }
}
