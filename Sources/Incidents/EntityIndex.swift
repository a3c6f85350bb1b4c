import MWRASPCore

/// Entity value → the findings of live incidents that carry it, so correlating a finding looks
/// only at incidents sharing at least one entity with it (sharing none scores 0 and could never
/// join) instead of scanning every open incident.
///
/// Bounded memory: an incident leaves the index when it stops being active (resolved, closed)
/// or when no finding has joined it for `retention` (window + allowed lateness) of arrival
/// time; after that no new finding can be within its window, except one later than the
/// lateness allowance, which then opens a new incident.
struct EntityIndex: Sendable {
    struct Key: Hashable, Sendable {
        var kind: EntityKind
        var value: String
    }

    struct Posting: Hashable, Sendable {
        var incidentID: String
        var findingIndex: Int
        var eventTime: Int64
    }

    /// Entity value → incident → its most recent findings carrying that value (at most
    /// `maxPostingsPerIncident`). Grouping by incident keeps a correlation's work proportional
    /// to the incidents sharing a value, not to all their findings: a busy host's incident with
    /// thousands of findings costs a handful of comparisons.
    private var postings: [Key: [String: [Posting]]] = [:]
    /// Older findings of an incident drop out of its postings for a value past this many; the
    /// most recent are the ones a new finding's ±window most likely reaches.
    static let maxPostingsPerIncident = 16
    private var keysByIncident: [String: Set<Key>] = [:]
    /// Arrival time of each indexed incident's latest finding.
    private var lastActivity: [String: Int64] = [:]
    /// No incident expires before this; saves scanning `lastActivity` on every call.
    private var earliestExpiry: Int64 = .max

    var incidentCount: Int { keysByIncident.count }
    var keyCount: Int { postings.count }
    var postingCount: Int { postings.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }
    func contains(_ incidentID: String) -> Bool { keysByIncident[incidentID] != nil }

    mutating func insert(incidentID: String, findingIndex: Int, entities: Entities, eventTime: Int64, arrivedAt: Int64, retention: Int64) {
        // Every change in place, through one lookup each: copying the incident's key set out and
        // back (a copy-on-write copy of every key, each time) and looking the posting list up
        // again to trim it made this a fifth of correlating a new finding in an alert burst.
        func append(_ posting: Posting, to list: inout [Posting]) {
            list.append(posting)
            if list.count > Self.maxPostingsPerIncident { list.removeFirst(list.count - Self.maxPostingsPerIncident) }
        }
        let posting = Posting(incidentID: incidentID, findingIndex: findingIndex, eventTime: eventTime)
        // An incident is indexed (and expires) even when this finding has no entity value.
        if keysByIncident[incidentID] == nil { keysByIncident[incidentID] = [] }
        for kind in EntityKind.allCases {
            guard let value = entities.correlationKey(kind) else { continue }
            let key = Key(kind: kind, value: value)
            append(posting, to: &postings[key, default: [:]][incidentID, default: []])
            keysByIncident[incidentID, default: []].insert(key)
        }
        let last = max(lastActivity[incidentID] ?? .min, arrivedAt)
        lastActivity[incidentID] = last
        earliestExpiry = min(earliestExpiry, Self.expiry(last, retention))
    }

    /// Findings sharing at least one entity with `entities` whose event time is within
    /// ±`window` of `eventTime` (inclusive), each once, with the kinds of entity they share.
    /// A posting is reached through kind K exactly when its finding has the same normalized
    /// value for K, so the kinds it was reached through are the shared ones: the score needs
    /// no second comparison of the values. The candidates of one incident come together.
    ///
    /// Why it is built this way: in an alert storm every new finding reaches the same big
    /// incident through three or four values, 16 postings each. Each incident id is hashed once
    /// per value, and a finding's postings are matched by index within its incident, instead of
    /// hashing every posting and allocating a list of kinds per candidate.
    func candidates(for entities: Entities, eventTime: Int64, window: Int64) -> [(posting: Posting, shared: SharedKinds)] {
        var slots: [String: Int] = [:]
        var groups: [[(posting: Posting, shared: SharedKinds)]] = []
        for kind in EntityKind.allCases {
            guard let value = entities.correlationKey(kind), let byIncident = postings[Key(kind: kind, value: value)] else { continue }
            let bit = SharedKinds(kind)
            // Grown once: rehashing every id into a bigger table as it filled was a third of
            // this call in an alert storm (a host value shared by hundreds of incidents).
            if slots.isEmpty {
                slots.reserveCapacity(byIncident.count)
                groups.reserveCapacity(byIncident.count)
            }
            for (incidentID, list) in byIncident {
                let slot: Int
                if let known = slots[incidentID] {
                    slot = known
                } else {
                    slot = groups.count
                    slots[incidentID] = slot
                    groups.append([])
                }
                for posting in list where abs(posting.eventTime - eventTime) <= window {
                    if let index = groups[slot].firstIndex(where: { $0.posting.findingIndex == posting.findingIndex }) {
                        groups[slot][index].shared.insert(bit)
                    } else {
                        groups[slot].append((posting, bit))
                    }
                }
            }
        }
        return groups.count == 1 ? groups[0] : Array(groups.joined())
    }

    mutating func remove(_ incidentID: String) {
        guard let keys = keysByIncident.removeValue(forKey: incidentID) else { return }
        lastActivity[incidentID] = nil
        for key in keys {
            postings[key]?[incidentID] = nil
            if postings[key]?.isEmpty == true { postings[key] = nil }
        }
    }

    /// Drops incidents idle for longer than `retention`; returns their ids.
    @discardableResult
    mutating func evict(now: Int64, retention: Int64) -> [String] {
        guard now > earliestExpiry else { return [] }
        let expired = lastActivity.filter { Self.expiry($0.value, retention) < now }.map(\.key)
        for id in expired { remove(id) }
        earliestExpiry = lastActivity.values.map { Self.expiry($0, retention) }.min() ?? .max
        return expired
    }

    private static func expiry(_ last: Int64, _ retention: Int64) -> Int64 {
        last > .max - retention ? .max : last + retention
    }
}
