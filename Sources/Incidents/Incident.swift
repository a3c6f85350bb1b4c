import MWRASPCore

/// One incident: correlated findings, where the INC-001 lifecycle stands, its SLA record and the
/// analyst's verdict. A value: `IncidentBook` hands out snapshots, and every `IncidentUpdate`
/// carries the full one so the integrator can upsert a row; `IncidentBook(restoring:)` reads
/// them back. Its Codable form is the API's JSON (snake_case, RFC 3339, severities by name);
/// derived fields (`status`, counts, `contained_at`...) are written for readers and recomputed,
/// not read, on decoding.
public struct Incident: Sendable, Equatable {
    /// `inc_` + a ULID.
    public var id: String
    /// From the primary finding: the most severe one, the earliest among equals.
    public var type: DetectionType
    public var detectorID: String
    public var title: String
    /// The highest severity among the findings.
    public var severity: Severity
    /// See `combinedConfidence`.
    public var confidence: Double
    public var phase: IncidentPhase
    /// Every phase entered, in order, starting with `detection` at `openedAt`.
    public var phaseHistory: [PhaseStamp]
    /// When correlation opened it (the `now` of its first finding): the origin of every phase
    /// deadline and of the first response timer.
    public var openedAt: Int64
    public var updatedAt: Int64
    /// The `now` of the latest finding that joined: keeps it in the entity index.
    public var lastFindingAt: Int64
    /// The first human-or-playbook reaction: an assignment, a phase move, a disposition or the
    /// investigation milestone. MTTA is measured to it.
    public var acknowledgedAt: Int64?
    /// Every detector behind it, in order of first appearance (`QTD-001`, a Sigma rule's id...).
    public var detectorIDs: [String]
    public var entities: IncidentEntities
    public var indicators: [Indicator]
    public var findings: [IncidentFinding]
    public var assignee: String?
    public var disposition: Disposition?
    public var slaBreaches: [SLABreach]
    public var responseTimers: [ResponseTimer]
    public var milestones: [MilestoneStamp]
    /// How many timeline entries it has; the next entry's sequence is this plus one.
    public var timelineCount: Int

    public init(id: String, first finding: IncidentFinding, openedAt: Int64) {
        self.id = id
        type = finding.type
        detectorID = finding.detectorID
        title = finding.title
        severity = finding.severity
        confidence = finding.confidence
        phase = .detection
        phaseHistory = [PhaseStamp(phase: .detection, enteredAt: openedAt)]
        self.openedAt = openedAt
        updatedAt = openedAt
        lastFindingAt = openedAt
        acknowledgedAt = nil
        detectorIDs = [finding.detectorID]
        entities = IncidentEntities()
        entities.insert(finding.entities)
        indicators = []
        findings = [finding]
        assignee = nil
        disposition = nil
        slaBreaches = []
        responseTimers = []
        milestones = []
        timelineCount = 0
    }

    public var status: IncidentStatus { phase.status }
    public var findingCount: Int { findings.count }
    /// Findings plus their dedup repeats: every alert that went into it.
    public var occurrenceCount: Int { findings.reduce(0) { $0 + $1.repeatCount } }
    public var detectionIDs: [String] { findings.map(\.detectionID) }
    /// The earliest event behind any finding: where time-to-detect starts.
    public var firstEventAt: Int64 { findings.map(\.eventTime).min() ?? openedAt }
    public var lastEventAt: Int64 { findings.map(\.eventTime).max() ?? openedAt }

    /// When it first reached a phase at or after `phase` (so a skipped phase counts as reached
    /// when a later one was).
    public func reached(_ phase: IncidentPhase) -> Int64? {
        phaseHistory.first { $0.phase >= phase }?.enteredAt
    }

    /// Containment is done once the incident moves past it.
    public var containedAt: Int64? { reached(.eradication) }
    /// Recovery is done once it reaches lessons learned (or is closed without them).
    public var resolvedAt: Int64? { reached(.lessonsLearned) }
    public var closedAt: Int64? { reached(.closed) }

    public func milestone(_ milestone: Milestone) -> Int64? {
        milestones.first { $0.milestone == milestone }?.at
    }
}
