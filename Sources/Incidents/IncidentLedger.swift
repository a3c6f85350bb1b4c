import MWRASPCore

/// The book's state and logic, single-threaded; `IncidentBook` wraps it in a mutex. Every
/// incident stays in memory with its timeline (see the report's limits); the entity index and
/// the deadline scan touch only the live ones.
struct IncidentLedger: Sendable {
    let configuration: IncidentBookConfiguration
    var incidents: [String: Incident] = [:]
    var timelines: [String: [TimelineEntry]] = [:]
    /// Ids ascending (ULIDs, monotonic): creation order, for newest-first paging.
    var orderedIDs: [String] = []
    /// Detection id -> the incident holding its finding, and the finding's index there (findings
    /// are only ever appended, so the index stays right): a re-sent detection or a repeat of its
    /// alert updates that finding instead of correlating again. A detection folded into another
    /// finding (an incident past its finding cap) maps to the finding it was folded into.
    var incidentByDetection: [String: (incidentID: String, index: Int)] = [:]
    /// The folded detections of each incident in `incidentByDetection` (they are not among its
    /// findings), so they leave with it; at most `maxFoldedPerIncident` each.
    var foldedDetections: [String: [String]] = [:]
    static let maxFoldedPerIncident = 10_000
    /// Incidents not closed: what `tick` looks at.
    var unclosed: Set<String> = []
    var index = EntityIndex()
    var ids: IncidentIDGenerator
    /// The entity kinds whose sharing alone clears the threshold (the default weights: source.ip).
    let joinsAlone: SharedKinds

    init(configuration: IncidentBookConfiguration) {
        self.configuration = configuration
        joinsAlone = SharedKinds(EntityKind.allCases.filter { kind in
            let shared = SharedKinds(kind)
            return CorrelationScore.joins(shared, remaining: CorrelationScore.remaining(shared, configuration.weights), configuration.weights)
        })
        ids = IncidentIDGenerator(seed: configuration.idSeed)
    }

    init(restoring restored: [Incident], timelines restoredTimelines: [String: [TimelineEntry]], configuration: IncidentBookConfiguration) {
        self.init(configuration: configuration)
        for var incident in restored {
            var timeline = (restoredTimelines[incident.id] ?? []).sorted { $0.sequence < $1.sequence }
            timeline = timeline.filter { $0.incidentID == incident.id }
            incident.timelineCount = max(incident.timelineCount, timeline.last?.sequence ?? 0)
            incidents[incident.id] = incident
            timelines[incident.id] = timeline
            ids.observe(incident.id)
            for (position, finding) in incident.findings.enumerated() { incidentByDetection[finding.detectionID] = (incident.id, position) }
            if incident.phase != .closed { unclosed.insert(incident.id) }
            if incident.status.isActive {
                for (position, finding) in incident.findings.enumerated() {
                    index.insert(incidentID: incident.id, findingIndex: position, entities: finding.entities,
                                 eventTime: finding.eventTime, arrivedAt: incident.lastFindingAt, retention: configuration.retention)
                }
            }
        }
        orderedIDs = incidents.keys.sorted()
    }

    // MARK: correlation

    mutating func correlate(_ detection: Detection, repeatCount: Int, now: Int64) -> IncidentUpdate {
        index.evict(now: now, retention: configuration.retention)
        if let known = incidentByDetection[detection.id], var incident = incidents.removeValue(forKey: known.incidentID) {
            // Its own finding takes the new total; a detection folded into another finding
            // folds its repeats there again.
            let entries = incident.findings.indices.contains(known.index) && incident.findings[known.index].detectionID != detection.id
                ? incident.fold(detection, into: known.index, repeats: repeatCount, at: now)
                : incident.recordRepeats(of: detection.id, count: repeatCount, at: now)
            return store(incident, entries, kind: .repeated)
        }
        let weights = configuration.weights
        // Best score per candidate incident, against its best-matching finding in the window.
        var best: [String: (score: CorrelationScore, findingIndex: Int)] = [:]
        // The index holds active incidents only (`store` removes the others), so no status check:
        // reading it through the dictionary would copy the whole incident per posting.
        // Candidates come grouped by incident: the best of the current group is kept aside and
        // the dictionary touched once per incident, not once per posting.
        var group: (incident: EntityIndex.Handle, shared: SharedKinds, remaining: Int64, findingIndex: Int)?
        func settle() {
            guard let group else { return }
            let id = index.incidentID(of: group.incident)
            guard best[id] == nil else { return }
            best[id] = (CorrelationScore(shared: group.shared, weights: weights), group.findingIndex)
        }
        for candidate in index.candidates(for: detection.finding.entities, eventTime: detection.eventTime,
                                          window: configuration.window, joinsAlone: joinsAlone) {
            let remaining = CorrelationScore.remaining(candidate.shared, weights)
            guard CorrelationScore.joins(candidate.shared, remaining: remaining, weights) else { continue }
            if let current = group, current.incident == candidate.incident {
                if current.remaining <= remaining { continue }
            } else {
                settle()
            }
            group = (candidate.incident, candidate.shared, remaining, candidate.findingIndex)
        }
        settle()
        // The best score wins; ties go to the most recent incident (latest event, then newest id).
        let winner = best.max { a, b in
            if a.value.score.remaining != b.value.score.remaining { return a.value.score < b.value.score }
            let (ia, ib) = (incidents[a.key]!, incidents[b.key]!)
            return (ia.lastEventAt, ia.id) < (ib.lastEventAt, ib.id)
        }
        if let winner, var incident = incidents.removeValue(forKey: winner.key) {
            if incident.findings.count >= configuration.maxFindingsPerIncident,
               let same = incident.findings.lastIndex(where: { $0.detectorID == detection.finding.detectorID }) {
                let entries = incident.fold(detection, into: same, repeats: repeatCount, at: now)
                rememberFolded(detection.id, into: same, of: incident.id)
                return store(incident, entries, kind: .repeated, score: winner.value.score, matched: incident.findings[same].detectionID)
            }
            let finding = IncidentFinding(detection: detection, repeatCount: repeatCount, score: winner.value.score)
            let entries = incident.join(finding, at: now)
            indexFinding(of: &incident, detection: detection, now: now)
            return store(incident, entries, kind: .joined, score: winner.value.score,
                         matched: incident.findings[winner.value.findingIndex].detectionID)
        }
        let finding = IncidentFinding(detection: detection, repeatCount: repeatCount, score: nil)
        var incident = Incident(id: ids.next(milliseconds: now), first: finding, openedAt: now)
        let entries = incident.open(with: finding, at: now)
        orderedIDs.append(incident.id)
        unclosed.insert(incident.id)
        indexFinding(of: &incident, detection: detection, now: now)
        return store(incident, entries, kind: .created)
    }

    /// Later repeats of a folded detection's alert count on the finding it was folded into,
    /// in place (`countRepeats`), instead of each batch of them correlating from scratch.
    private mutating func rememberFolded(_ detectionID: String, into index: Int, of incidentID: String) {
        guard foldedDetections[incidentID, default: []].count < Self.maxFoldedPerIncident else { return }
        foldedDetections[incidentID, default: []].append(detectionID)
        incidentByDetection[detectionID] = (incidentID, index)
    }

    private mutating func indexFinding(of incident: inout Incident, detection: Detection, now: Int64) {
        incidentByDetection[detection.id] = (incident.id, incident.findings.count - 1)
        index.insert(incidentID: incident.id, findingIndex: incident.findings.count - 1, entities: detection.finding.entities,
                     eventTime: detection.eventTime, arrivedAt: now, retention: configuration.retention)
    }

    /// `count` more repeats of the finding of `detectionID`, changed in place: no search of its
    /// findings, and no copy of the incident (a snapshot in an `IncidentUpdate` retains each of
    /// its fields; an alert storm counts repeats on every busy incident in every batch). nil
    /// when that detection is not a finding held here (folded into another, or its incident
    /// left memory). Repeats change no status, so the index and the unclosed set stay as they are.
    mutating func countRepeats(ofDetection detectionID: String, count: Int, now: Int64) -> RepeatsCounted? {
        guard count > 0, let known = incidentByDetection[detectionID],
              let entries = incidents[known.incidentID]?.recordRepeats(at: known.index, adding: count, at: now) else { return nil }
        if !entries.isEmpty { timelines[known.incidentID, default: []].append(contentsOf: entries) }
        return RepeatsCounted(incidentID: known.incidentID, entries: entries)
    }

    /// Repeats of a SIEM alert whose detection was folded into `incidentID` and is not
    /// remembered any more (past `maxFoldedPerIncident`, in a storm of thousands of distinct
    /// alerts): counted in place on the finding its incident folds that detector's alerts
    /// onto, the last SIEM-alert finding of the detector of its first one. This is where
    /// correlation would fold them (the incident is over its finding cap and shares every
    /// entity with that finding), without scoring candidates or copying the incident. nil
    /// when the incident is not in memory, not active, or not over its cap.
    mutating func countFoldedAlertRepeats(of detectionID: String, in incidentID: String, count: Int, lastEventID: EventID, now: Int64) -> RepeatsCounted? {
        guard count > 0, let entries = incidents[incidentID]?.foldAlertRepeats(
            of: detectionID, count: count, lastEventID: lastEventID, findingCap: configuration.maxFindingsPerIncident, at: now) else { return nil }
        if !entries.isEmpty { timelines[incidentID, default: []].append(contentsOf: entries) }
        return RepeatsCounted(incidentID: incidentID, entries: entries)
    }

    // MARK: operations

    mutating func apply(_ patch: IncidentPatch, to id: String, now: Int64) throws(IncidentError) -> IncidentUpdate {
        // Taken out while it changes: mutating a copy still held by the dictionary would copy
        // every finding (copy-on-write). A refused patch puts the untouched original back.
        guard var incident = incidents.removeValue(forKey: id) else { throw .notFound(id: id) }
        let original = incident
        let entries: [TimelineEntry]
        do {
            entries = try incident.apply(patch, at: now)
        } catch {
            incidents[id] = original
            throw error
        }
        return store(incident, entries, kind: .patched)
    }

    mutating func recordMilestone(_ milestone: Milestone, for id: String, at time: Int64, note: String?) throws(IncidentError) -> IncidentUpdate {
        // Taken out while it changes: mutating a copy still held by the dictionary would copy
        // every finding (copy-on-write).
        guard var incident = incidents.removeValue(forKey: id) else { throw .notFound(id: id) }
        let entries = incident.reach(milestone, at: time, note: note)
        return store(incident, entries, kind: .milestone)
    }

    mutating func recordAction(_ summary: String, for id: String, automated: Bool, refs: [String], at time: Int64) throws(IncidentError) -> IncidentUpdate {
        // Taken out while it changes: mutating a copy still held by the dictionary would copy
        // every finding (copy-on-write).
        guard var incident = incidents.removeValue(forKey: id) else { throw .notFound(id: id) }
        var entries = [incident.log(.action, at: time, (automated ? "Automated action: " : "Action: ") + summary, refs: refs)]
        incident.updatedAt = max(incident.updatedAt, time)
        // The first automated action is the milestone the critical objective waits for.
        if automated { entries += incident.reach(.firstAutomatedAction, at: time, note: nil) }
        return store(incident, entries, kind: .action)
    }

    mutating func tick(now: Int64) -> [IncidentUpdate] {
        index.evict(now: now, retention: configuration.retention)
        evictDormant(now: now)
        var updates: [IncidentUpdate] = []
        for id in unclosed.sorted() {
            guard let due = incidents[id]?.nextDeadline, now > due, var incident = incidents.removeValue(forKey: id) else { continue }
            var entries = incident.recordPhaseOverruns(now: now)
            entries += incident.recordTimerBreaches(now: now)
            if !entries.isEmpty { updates.append(store(incident, entries, kind: .breached)) }
        }
        return updates
    }

    /// When the next pass over all incidents for `evictDormant` is due.
    private var nextEvictionPass: Int64 = .min

    /// Keeps memory bounded on a long-running server: closed incidents leave after
    /// `closedRetention`, any incident after `dormancy` without a change. Their records and
    /// timelines stay in the store (API reads come from there); a finding can no longer join
    /// them (closed, or far outside the correlation window), and a PATCH re-adopts them. One pass
    /// over the incidents at most once a minute.
    mutating func evictDormant(now: Int64) {
        guard now >= nextEvictionPass else { return }
        nextEvictionPass = now + 60_000
        let leaving = incidents.values.filter { incident in
            let idle = now - incident.updatedAt
            return (incident.phase == .closed && idle > configuration.closedRetention) || idle > configuration.dormancy
        }
        guard !leaving.isEmpty else { return }
        for incident in leaving { forget(incident) }
        let left = Set(leaving.map(\.id))
        orderedIDs.removeAll { left.contains($0) }
    }

    private mutating func forget(_ incident: Incident) {
        incidents[incident.id] = nil
        timelines[incident.id] = nil
        unclosed.remove(incident.id)
        index.remove(incident.id)
        for finding in incident.findings where incidentByDetection[finding.detectionID]?.incidentID == incident.id {
            incidentByDetection[finding.detectionID] = nil
        }
        for folded in foldedDetections.removeValue(forKey: incident.id) ?? [] where incidentByDetection[folded]?.incidentID == incident.id {
            incidentByDetection[folded] = nil
        }
    }

    /// Takes back an incident that left memory (from its stored record), e.g. to apply a PATCH.
    mutating func adopt(_ incident: Incident, timeline: [TimelineEntry]) {
        guard incidents[incident.id] == nil else { return }
        var incident = incident
        let timeline = timeline.filter { $0.incidentID == incident.id }.sorted { $0.sequence < $1.sequence }
        incident.timelineCount = max(incident.timelineCount, timeline.last?.sequence ?? 0)
        incidents[incident.id] = incident
        timelines[incident.id] = timeline
        ids.observe(incident.id)
        for (index, finding) in incident.findings.enumerated() { incidentByDetection[finding.detectionID] = (incident.id, index) }
        if incident.phase != .closed { unclosed.insert(incident.id) }
        let position = orderedIDs.firstIndex { $0 > incident.id } ?? orderedIDs.endIndex
        orderedIDs.insert(incident.id, at: position)
    }

    /// Writes the new state back, keeps the index and the unclosed set in step with the status.
    private mutating func store(_ incident: Incident, _ entries: [TimelineEntry], kind: IncidentUpdate.Kind,
                                score: CorrelationScore? = nil, matched: String? = nil) -> IncidentUpdate {
        incidents[incident.id] = incident
        timelines[incident.id, default: []].append(contentsOf: entries)
        if !incident.status.isActive { index.remove(incident.id) }
        if incident.phase == .closed { unclosed.remove(incident.id) }
        return IncidentUpdate(kind: kind, incident: incident, entries: entries, score: score, matchedDetectionID: matched)
    }
}
