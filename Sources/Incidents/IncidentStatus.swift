/// The coarse state dashboards and filters use, derived from the phase and never set directly,
/// so the two cannot disagree:
/// - `open`: detection or containment; the threat may still be spreading.
/// - `contained`: eradication or recovery; containment is done (the incident moved past it).
/// - `resolved`: lessons learned; operations are restored, the post-mortem is pending.
/// - `closed`: nothing left to do (also where false-positive and benign dispositions lead).
/// Correlation joins new findings only to `open` and `contained` incidents: a resolved one that
/// sees its attacker again is a recurrence and gets a new incident.
public enum IncidentStatus: String, Sendable, Codable, CaseIterable {
    case open
    case contained
    case resolved
    case closed

    /// Still taking findings.
    public var isActive: Bool { self == .open || self == .contained }
}
