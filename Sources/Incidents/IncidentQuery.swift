import MWRASPCore

/// `GET /v1/incidents` filters and paging. Newest first, by id (ULIDs sort by creation time);
/// the cursor is the last id of the previous page, so pages stay stable while incidents are
/// added (new ones appear before the first page, never inside a later one).
public struct IncidentQuery: Sendable, Equatable {
    public var statuses: Set<IncidentStatus>?
    public var severities: Set<Severity>?
    public var phases: Set<IncidentPhase>?
    public var assignee: String?
    /// Default 50, at most 1000 (API.md).
    public var limit: Int
    /// Return incidents older than this id.
    public var cursor: String?

    public init(statuses: Set<IncidentStatus>? = nil, severities: Set<Severity>? = nil, phases: Set<IncidentPhase>? = nil,
                assignee: String? = nil, limit: Int = 50, cursor: String? = nil) {
        self.statuses = statuses
        self.severities = severities
        self.phases = phases
        self.assignee = assignee
        self.limit = limit
        self.cursor = cursor
    }

    func matches(_ incident: Incident) -> Bool {
        (statuses?.contains(incident.status) ?? true)
            && (severities?.contains(incident.severity) ?? true)
            && (phases?.contains(incident.phase) ?? true)
            && (assignee.map { $0 == incident.assignee } ?? true)
    }
}

/// One page: `items` and `next_cursor` (nil on the last page).
public struct IncidentPage: Sendable, Equatable {
    public var items: [Incident]
    public var nextCursor: String?

    public init(items: [Incident], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension IncidentLedger {
    func list(_ query: IncidentQuery) -> IncidentPage {
        let limit = min(max(query.limit, 1), 1000)
        // First position at or after the cursor; everything before it is older.
        var end = orderedIDs.count
        if let cursor = query.cursor {
            var low = 0, high = orderedIDs.count
            while low < high {
                let mid = (low + high) / 2
                if orderedIDs[mid] < cursor { low = mid + 1 } else { high = mid }
            }
            end = low
        }
        var items: [Incident] = []
        var position = end - 1
        while position >= 0, items.count < limit {
            if let incident = incidents[orderedIDs[position]], query.matches(incident) { items.append(incident) }
            position -= 1
        }
        // Only promise a next page if an older match exists.
        var more = false
        while position >= 0 {
            if let incident = incidents[orderedIDs[position]], query.matches(incident) { more = true; break }
            position -= 1
        }
        return IncidentPage(items: items, nextCursor: more ? items.last?.id : nil)
    }
}
