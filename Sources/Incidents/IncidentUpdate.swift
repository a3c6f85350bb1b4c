/// What one operation did to one incident: the persistence hook. `incident` is the complete
/// snapshot to upsert; `entries` are the new timeline rows to append (never earlier ones).
public struct IncidentUpdate: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// A finding opened a new incident.
        case created
        /// A finding joined an existing incident.
        case joined
        /// A finding already in the incident came again with a higher dedup count (or was
        /// simply re-sent: then `entries` is empty).
        case repeated
        /// `apply(_:to:now:)`.
        case patched
        case milestone
        case action
        /// `tick(now:)` found overrun phases or response timers.
        case breached
    }

    public var kind: Kind
    public var incident: Incident
    public var entries: [TimelineEntry]
    /// For `joined`: the best score, against the finding it matched.
    public var score: CorrelationScore?
    /// For `joined`: the detection it matched best.
    public var matchedDetectionID: String?

    public init(kind: Kind, incident: Incident, entries: [TimelineEntry], score: CorrelationScore? = nil, matchedDetectionID: String? = nil) {
        self.kind = kind
        self.incident = incident
        self.entries = entries
        self.score = score
        self.matchedDetectionID = matchedDetectionID
    }

    public var incidentID: String { incident.id }
}

/// What counting repeats on a finding did (`IncidentBook.countRepeats`): the incident changed
/// in place; its new timeline rows, and its id for the snapshot that is now due.
public struct RepeatsCounted: Sendable, Equatable {
    public var incidentID: String
    public var entries: [TimelineEntry]

    public init(incidentID: String, entries: [TimelineEntry]) {
        self.incidentID = incidentID
        self.entries = entries
    }
}
