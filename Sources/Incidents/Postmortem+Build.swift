import MWRASPCore

extension Postmortem {
    /// Builds the report from the record. `generatedAt` only stamps it; nothing is measured
    /// against it, so two reports of the same record differ only in that field.
    public init(incident: Incident, timeline: [TimelineEntry], generatedAt: Int64) {
        incidentID = incident.id
        title = incident.title
        severity = incident.severity
        status = incident.status
        disposition = incident.disposition
        self.generatedAt = generatedAt
        complete = incident.resolvedAt != nil
        timeToDetectMs = incident.findings.map(\.detectedAt).min().map { max(0, $0 - incident.firstEventAt) }
        timeToAcknowledgeMs = incident.acknowledgedAt.map { max(0, $0 - incident.openedAt) }
        timeToContainMs = incident.containedAt.map { max(0, $0 - incident.openedAt) }
        timeToRecoverMs = incident.resolvedAt.map { max(0, $0 - incident.openedAt) }
        phases = Self.phaseReports(incident)
        slaBreaches = incident.slaBreaches
        responseTimers = incident.responseTimers
        detectorIDs = incident.detectorIDs
        entities = incident.entities
        findingCount = incident.findingCount
        occurrenceCount = incident.occurrenceCount
        self.timeline = timeline.sorted(by: TimelineEntry.chronological)
        recommendations = []
        recommendations = Self.recommend(incident, self)
    }

    private static func phaseReports(_ incident: Incident) -> [PhaseReport] {
        let breached = Set(incident.slaBreaches.map(\.phase))
        return IncidentPhase.allCases.filter { $0 != .closed }.map { phase in
            let stamp = incident.phaseHistory.first { $0.phase == phase }
            let left = incident.phaseHistory.first { $0.phase > phase }?.enteredAt
            let skipped = stamp == nil && left != nil
            return PhaseReport(phase: phase, enteredAt: stamp?.enteredAt, leftAt: stamp == nil ? nil : left,
                               deadline: phase.deadlineAfterOpen.map { incident.openedAt + $0 },
                               skipped: skipped, breached: breached.contains(phase))
        }
    }

    /// Rules over the record, most urgent first. Each names what happened and what to change.
    private static func recommend(_ incident: Incident, _ report: Postmortem) -> [Recommendation] {
        var advice: [Recommendation] = []
        func add(_ code: String, _ text: String) { advice.append(Recommendation(code: code, text: text)) }

        if incident.disposition == .falsePositive {
            add("tune_detectors", "Closed as a false positive: review and tune \(incident.detectorIDs.joined(separator: ", ")) (thresholds, allow-lists) so the same activity does not alert again.")
        }
        for breach in incident.slaBreaches.sorted(by: { $0.phase < $1.phase }) {
            let over = describeDuration(max(0, breach.recordedAt - breach.deadline))
            switch breach.phase {
            case .detection:
                add("sla_detection", "Detection and classification overran the 30 s window (by at least \(over)): automate triage for \(incident.type.rawValue) findings so the incident leaves detection without waiting for a person.")
            case .containment:
                add("sla_containment", "Containment was not finished within 5 min (by at least \(over)): attach a containment playbook (block the IOCs through connectors, isolate the hosts) to \(incident.detectorID).")
            case .eradication:
                add("sla_eradication", "Eradication overran its 1 h deadline (by at least \(over)): pre-stage eradication runbooks and feed the incident's indicators to the IOC detector automatically.")
            case .recovery:
                add("sla_recovery", "Recovery overran its 4 h deadline (by at least \(over)): check backup freshness and restore procedures for \(incident.entities.hosts.isEmpty ? "the affected systems" : incident.entities.hosts.joined(separator: ", ")).")
            case .lessonsLearned:
                add("sla_lessons_learned", "The post-incident review was not closed within 7 days: schedule it when recovery completes.")
            case .closed:
                break
            }
        }
        for timer in incident.responseTimers where timer.state == .breached {
            add("objective_\(timer.milestone.rawValue)", "The \(timer.severity.name) response objective (\(timer.milestone.rawValue) within \(describeDuration(timer.deadline - timer.startedAt))) was missed: check that the \(timer.milestone == .firstAutomatedAction ? "automated playbook triggers" : "notification and on-call routing") for \(timer.severity.name) incidents.")
        }
        if let detect = report.timeToDetectMs, detect > 60_000 {
            add("slow_detection", "The first event preceded detection by \(describeDuration(detect)): reduce ingestion delay or shorten the detectors' windows and SIEM search intervals.")
        }
        let skipped = report.phases.filter(\.skipped).map(\.phase.rawValue)
        if !skipped.isEmpty, incident.disposition?.closesIncident != true {
            add("skipped_phases", "Phases \(skipped.joined(separator: ", ")) were skipped: record why in the timeline so the review can confirm nothing was missed.")
        }
        if incident.assignee == nil, incident.disposition?.closesIncident != true {
            add("no_owner", "No one was assigned: route \(incident.severity.name) incidents to the on-call analyst automatically.")
        }
        if incident.disposition == nil {
            add("no_disposition", "No disposition was recorded: mark the incident true positive, false positive or benign so the false-positive rate stays accurate.")
        }
        if incident.occurrenceCount > 10 * max(1, incident.findingCount) {
            add("noisy_alerts", "\(incident.occurrenceCount) alerts folded into \(incident.findingCount) finding(s): raise severity on repeats or suppress the source once triaged.")
        }
        if incident.resolvedAt == nil, incident.disposition?.closesIncident != true {
            add("preliminary", "Recovery is not complete: this report is preliminary; regenerate it after lessons learned.")
        }
        if advice.isEmpty {
            add("within_objectives", "Every phase and response objective was met: record which automations made that possible and keep them.")
        }
        return advice
    }
}
