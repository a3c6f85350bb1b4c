/// The body of `PATCH /v1/incidents/{id}`: any of a phase move, an assignee, a disposition.
/// Applied all or nothing, in that order, so `{"phase": "recovery", "disposition":
/// "true_positive"}` is one update.
public struct IncidentPatch: Sendable, Equatable {
    public var phase: IncidentPhase?
    /// A name to assign; an empty string unassigns.
    public var assignee: String?
    public var disposition: Disposition?
    /// Who asked (a token's name), written into the timeline.
    public var actor: String?
    /// Why, written into the timeline.
    public var note: String?

    public init(phase: IncidentPhase? = nil, assignee: String? = nil, disposition: Disposition? = nil,
                actor: String? = nil, note: String? = nil) {
        self.phase = phase
        self.assignee = assignee
        self.disposition = disposition
        self.actor = actor
        self.note = note
    }

    public var isEmpty: Bool { phase == nil && assignee == nil && disposition == nil }
}
