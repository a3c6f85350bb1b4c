/// What an API token may do (DESIGN.md §9).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Pushes events and alerts.
    case ingest
    /// Reads everything, drives incidents, workflows and cases.
    case responder
    /// The SOC ticketing system: cases.
    case ticketing
    /// Everything, including tokens.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool {
        Self.allCases.firstIndex(of: lhs)! < Self.allCases.firstIndex(of: rhs)!
    }
}
