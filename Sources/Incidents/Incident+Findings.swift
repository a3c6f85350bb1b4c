import MWRASPCore

extension Incident {
    /// Opens the incident's record of its first finding: the opening entry, its events, its
    /// detection, and the response timer for its severity.
    mutating func open(with finding: IncidentFinding, at now: Int64) -> [TimelineEntry] {
        var entries = [log(.opened, at: now, "Incident opened: \(title) (\(severity.name))", refs: [finding.detectionID, finding.detectorID])]
        entries += record(finding, at: now)
        entries += startTimer(for: severity, at: now)
        return entries
    }

    /// Adds a finding correlation matched to this incident.
    mutating func join(_ finding: IncidentFinding, at now: Int64) -> [TimelineEntry] {
        let before = severity
        let detectorIsNew = !detectorIDs.contains(finding.detectorID)
        findings.append(finding)
        if detectorIsNew { detectorIDs.append(finding.detectorID) }
        entities.insert(finding.entities)
        lastFindingAt = max(lastFindingAt, now)
        updatedAt = now
        refreshSummary(joined: finding, detectorIsNew: detectorIsNew)
        var entries = record(finding, at: now)
        if severity > before {
            entries.append(log(.escalation, at: now, "Severity raised from \(before.name) to \(severity.name) by \(finding.detectorID)",
                               refs: [finding.detectionID]))
            entries += startTimer(for: severity, at: now)
        }
        return entries
    }

    /// A finding already here was reported again with a (higher) dedup count.
    mutating func recordRepeats(of detectionID: String, count: Int, at now: Int64) -> [TimelineEntry] {
        guard let index = findings.firstIndex(where: { $0.detectionID == detectionID }) else { return [] }
        return recordRepeats(at: index, adding: count - findings[index].repeatCount, at: now)
    }

    /// `added` more repeats of the finding at `index`.
    mutating func recordRepeats(at index: Int, adding added: Int, at now: Int64) -> [TimelineEntry] {
        guard findings.indices.contains(index), added > 0 else { return [] }
        let before = findings[index].repeatCount
        let count = before + added
        let detectionID = findings[index].detectionID
        findings[index].repeatCount = count
        updatedAt = now
        // Logged when the count crosses a power of two (2, 4, 8...): a repeating alert stays
        // readable in the timeline, and a storm does not write a row per repeat.
        guard count.bitWidth - count.leadingZeroBitCount > before.bitWidth - before.leadingZeroBitCount else { return [] }
        return [log(.repeated, at: now, "\(findings[index].title): \(count - before) more repeat(s), \(count) in all", refs: [detectionID])]
    }

    /// A finding past `maxFindingsPerIncident` from a detector already here: counted on that
    /// detector's last finding. The timeline notes it at 2, 4, 8, 16... repeats, so a storm
    /// stays readable (and bounded) while the counter stays exact.
    mutating func fold(_ detection: Detection, into index: Int, repeats: Int, at now: Int64) -> [TimelineEntry] {
        let before = findings[index].repeatCount
        findings[index].repeatCount += max(1, repeats)
        entities.insert(detection.finding.entities)
        lastFindingAt = max(lastFindingAt, now)
        updatedAt = now
        let after = findings[index].repeatCount
        // Log only when a power of two was crossed (before < 2^k <= after).
        guard after.bitWidth - after.leadingZeroBitCount > before.bitWidth - before.leadingZeroBitCount else { return [] }
        return [log(.repeated, at: now, "\(findings[index].title): \(after) occurrences in all (storm folded onto one finding)",
                    refs: [findings[index].detectionID, detection.id])]
    }

    /// `IncidentLedger.countFoldedAlertRepeats`: `count` repeats of the folded SIEM alert of
    /// `detectionID` (named in the timeline), folded
    /// again onto the last finding of the detector of the first SIEM-alert finding; nil when
    /// this incident does not fold (inactive, or under `findingCap`).
    mutating func foldAlertRepeats(of detectionID: String, count: Int, lastEventID: EventID, findingCap: Int, at now: Int64) -> [TimelineEntry]? {
        guard status.isActive, findings.count >= findingCap,
              let template = findings.firstIndex(where: { $0.type == .siemAlert }) else { return nil }
        let detectorID = findings[template].detectorID
        guard let target = findings.lastIndex(where: { $0.detectorID == detectorID }) else { return nil }
        let finding = findings[target]
        let detection = Detection(
            id: detectionID,
            finding: Finding(detectorID: detectorID, type: finding.type, title: finding.title, severity: finding.severity,
                             confidence: finding.confidence, indicators: [], eventIDs: [lastEventID], entities: finding.entities),
            detectedAt: now, eventTime: finding.eventTime, latencySeconds: 0)
        return fold(detection, into: target, repeats: count, at: now)
    }

    /// The finding's own entries: its events (at event time) and its detection.
    private mutating func record(_ finding: IncidentFinding, at now: Int64) -> [TimelineEntry] {
        if !finding.indicators.isEmpty {
            var known = Set(indicators)
            for indicator in finding.indicators where known.insert(indicator).inserted { indicators.append(indicator) }
        }
        var entries: [TimelineEntry] = []
        if !finding.eventIDs.isEmpty {
            entries.append(log(.event, at: finding.eventTime,
                               "\(finding.eventIDs.count) event(s) behind \(finding.detectorID)\(Self.describe(finding.entities))",
                               refs: finding.eventIDs.map(\.rawValue)))
        }
        var summary = "\(finding.detectorID) \(finding.type.rawValue): \(finding.title) (\(finding.severity.name), confidence \(Self.round(finding.confidence)))"
        if let score = finding.score {
            summary += "; correlated with score \(Self.round(score)) on " + finding.sharedEntities.map(\.rawValue).joined(separator: ", ")
        }
        if finding.repeatCount > 1 { summary += "; seen \(finding.repeatCount) times" }
        summary += "; detected \(describeDuration(max(0, finding.detectedAt - finding.eventTime))) after the event"
        entries.append(log(.detection, at: finding.detectedAt, summary, refs: [finding.detectionID, finding.detectorID]))
        return entries
    }

    /// Severity, the primary finding's type, detector and title, and confidence, from the findings.
    mutating func refreshSummary() {
        // By index: up to `maxFindingsPerIncident` findings are scanned on every change, and
        // copying each one out (a dozen strings and arrays retained and released) was most of
        // the correlation stage's time.
        guard !findings.isEmpty else { return }
        var primaryIndex = 0
        for index in findings.indices.dropFirst() where findings[index].severity > findings[primaryIndex].severity {
            primaryIndex = index
        }
        let primary = findings[primaryIndex]
        severity = primary.severity
        type = primary.type
        detectorID = primary.detectorID
        title = primary.title
        confidence = Self.combinedConfidence(findings)
    }

    /// `refreshSummary` after `finding` was appended, without rescanning every finding when it
    /// cannot change the result (a burst of alerts joins findings to incidents of up to
    /// `maxFindingsPerIncident`; the full pass hashed every detector id each time). The summary
    /// before the join is the full pass's result, so: the primary changes only to a strictly
    /// more severe finding (the earliest wins ties); a new detector multiplies the miss by its
    /// confidence's; a known one changes nothing unless it beats that detector's best.
    mutating func refreshSummary(joined finding: IncidentFinding, detectorIsNew: Bool) {
        if finding.severity > severity {
            severity = finding.severity
            type = finding.type
            detectorID = finding.detectorID
            title = finding.title
        }
        if detectorIsNew {
            confidence = min(1, max(0, 1 - (1 - confidence) * (1 - finding.confidence)))
            return
        }
        var best = 0.0
        for index in findings.indices.dropLast() where findings[index].detectorID == finding.detectorID {
            best = max(best, findings[index].confidence)
        }
        if finding.confidence > best { confidence = Self.combinedConfidence(findings) }
    }

    /// Confidence that the incident is real: the noisy-OR across *distinct detectors* of each
    /// detector's best confidence, `1 − Π(1 − c_d)`.
    ///
    /// Why not the plain maximum: a Sigma rule and an IOC match agreeing on one attacker are
    /// independent corroboration and should raise confidence. Why not the noisy-OR over every
    /// finding: one noisy rule firing forty times is not forty witnesses, and would push any
    /// chatty detector to 1.0.
    static func combinedConfidence(_ findings: [IncidentFinding]) -> Double {
        var best: [String: Double] = [:]
        func raise(_ value: inout Double, to confidence: Double) { if confidence > value { value = confidence } }
        for index in findings.indices { raise(&best[findings[index].detectorID, default: 0], to: findings[index].confidence) }
        let miss = best.values.reduce(1.0) { $0 * (1 - $1) }
        return min(1, max(0, 1 - miss))
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private static func describe(_ entities: Entities) -> String {
        let parts = [entities.sourceIP.map { "source.ip \($0)" }, entities.destinationIP.map { "destination.ip \($0)" },
                     entities.userName.map { "user.name \($0)" }, entities.hostName.map { "host.name \($0)" }].compactMap { $0 }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}
