import MWRASPCore

/// Which roles may call which kind of endpoint (DESIGN.md §9). Routes declare the set of roles
/// they need; admin passes everywhere, so routes never list it.
///
/// - admin: everything, including token management.
/// - ingest: ingestion only (events, alerts).
/// - responder: reads everything and drives incidents, workflows and cases.
/// - ticketing: cases only.
public enum Authorization {
    /// Admin always passes; any other role must be in `required`.
    public static func allows(_ role: Role, _ required: Set<Role>) -> Bool {
        role == .admin || required.contains(role)
    }

    // The required sets for each endpoint family, so routes do not spell them out by hand.

    /// Pushing events and alerts.
    public static let ingestion: Set<Role> = [.ingest]
    /// Reading anything (events, alerts, incidents, workflows, metrics, feed).
    public static let read: Set<Role> = [.responder]
    /// Changing incidents and running workflows.
    public static let respond: Set<Role> = [.responder]
    /// Reading and changing cases.
    public static let cases: Set<Role> = [.responder, .ticketing]
    /// Token management and other administration: admin only.
    public static let administration: Set<Role> = []
}
