/// The INC-001 phases (seed 4.1), in order, then `closed`. An incident only moves forward.
public enum IncidentPhase: String, Sendable, Codable, CaseIterable, Comparable {
    case detection
    case containment
    case eradication
    case recovery
    case lessonsLearned = "lessons_learned"
    case closed

    public static func < (lhs: IncidentPhase, rhs: IncidentPhase) -> Bool { lhs.order < rhs.order }

    var order: Int { Self.allCases.firstIndex(of: self)! }

    /// When this phase must have been left, in milliseconds after the incident opened.
    ///
    /// The seed gives windows on one clock that starts at the alarm: detection 0-30 s,
    /// containment 30 s-5 min, eradication 5 min-1 h, recovery 1-4 h, lessons learned 1-7 days.
    /// So the deadlines are cumulative from `openedAt`: a slow detection eats into containment's
    /// budget rather than granting it a fresh five minutes, which is what the seed's absolute
    /// windows mean and what a responder watching one clock expects. Lessons learned is held
    /// to the same clock (7 days after opening) for one consistent model. `closed` has none.
    public var deadlineAfterOpen: Int64? {
        switch self {
        case .detection: 30_000
        case .containment: 300_000
        case .eradication: 3_600_000
        case .recovery: 14_400_000
        case .lessonsLearned: 604_800_000
        case .closed: nil
        }
    }

    /// The status a phase implies (see `IncidentStatus`).
    public var status: IncidentStatus {
        switch self {
        case .detection, .containment: .open
        case .eradication, .recovery: .contained
        case .lessonsLearned: .resolved
        case .closed: .closed
        }
    }
}
