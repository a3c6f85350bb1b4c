import MWRASPCore

/// Entity value → the findings of live incidents that carry it, so correlating a finding looks
/// only at incidents sharing at least one entity with it (sharing none scores 0 and could never
/// join) instead of scanning every open incident.
///
/// Bounded memory: an incident leaves the index when it stops being active (resolved, closed)
/// or when no finding has joined it for `retention` (window + allowed lateness) of arrival
/// time; after that no new finding can be within its window, except one later than the
/// lateness allowance, which then opens a new incident.
///
/// Incidents are known here by a small integer handle, not by their string id: in an alert
/// burst a new finding reaches hundreds of incidents through a busy host or destination, and
/// hashing each one's 30-character id (twice: in the posting map and in the candidates' slot
/// table) was most of the cost of correlating it.
struct EntityIndex: Sendable {
    struct Key: Hashable, Sendable {
        var kind: EntityKind
        var value: String
    }

    /// An indexed incident, as `candidates` reports it; `incidentID(of:)` names it.
    typealias Handle = Int32

    struct Posting: Hashable, Sendable {
        var findingIndex: Int
        var eventTime: Int64
    }

    struct Candidate: Sendable {
        var incident: Handle
        var findingIndex: Int
        /// The kinds of entity this finding shares with the one being correlated.
        var shared: SharedKinds
    }

    /// Entity value → incident → its most recent findings carrying that value (at most
    /// `maxPostingsPerIncident`). Grouping by incident keeps a correlation's work proportional
    /// to the incidents sharing a value, not to all their findings: a busy host's incident with
    /// thousands of findings costs a handful of comparisons.
    private var postings: [Key: [Handle: [Posting]]] = [:]
    /// Older findings of an incident drop out of its postings for a value past this many; the
    /// most recent are the ones a new finding's ±window most likely reaches.
    static let maxPostingsPerIncident = 16

    private var handles: [String: Handle] = [:]
    /// By handle: the incident's id (nil for a free handle), the keys it is posted under, and
    /// the arrival time of its latest finding.
    private var ids: [String?] = []
    private var keysByHandle: [Set<Key>] = []
    private var lastActivity: [Int64] = []
    private var freeHandles: [Handle] = []
    /// No incident expires before this; saves scanning `lastActivity` on every call.
    private var earliestExpiry: Int64 = .max

    var incidentCount: Int { handles.count }
    var keyCount: Int { postings.count }
    var postingCount: Int { postings.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }
    func contains(_ incidentID: String) -> Bool { handles[incidentID] != nil }
    func incidentID(of handle: Handle) -> String { ids[Int(handle)]! }

    mutating func insert(incidentID: String, findingIndex: Int, entities: Entities, eventTime: Int64, arrivedAt: Int64, retention: Int64) {
        // Every change in place, through one lookup each: copying the incident's key set out and
        // back (a copy-on-write copy of every key, each time) and looking the posting list up
        // again to trim it made this a fifth of correlating a new finding in an alert burst.
        func append(_ posting: Posting, to list: inout [Posting]) {
            list.append(posting)
            if list.count > Self.maxPostingsPerIncident { list.removeFirst(list.count - Self.maxPostingsPerIncident) }
        }
        // An incident is indexed (and expires) even when this finding has no entity value.
        let handle = handle(for: incidentID)
        let slot = Int(handle)
        let posting = Posting(findingIndex: findingIndex, eventTime: eventTime)
        for kind in EntityKind.allCases {
            guard let value = entities.correlationKey(kind) else { continue }
            let key = Key(kind: kind, value: value)
            append(posting, to: &postings[key, default: [:]][handle, default: []])
            keysByHandle[slot].insert(key)
        }
        lastActivity[slot] = max(lastActivity[slot], arrivedAt)
        earliestExpiry = min(earliestExpiry, Self.expiry(lastActivity[slot], retention))
    }

    private mutating func handle(for incidentID: String) -> Handle {
        if let known = handles[incidentID] { return known }
        let handle: Handle
        if let free = freeHandles.popLast() {
            handle = free
            ids[Int(free)] = incidentID
        } else {
            handle = Handle(ids.count)
            ids.append(incidentID)
            keysByHandle.append([])
            lastActivity.append(.min)
        }
        handles[incidentID] = handle
        return handle
    }

    /// Findings sharing at least one entity with `entities` whose event time is within
    /// ±`window` of `eventTime` (inclusive), each once, with the kinds of entity they share.
    /// A posting is reached through kind K exactly when its finding has the same normalized
    /// value for K, so the kinds it was reached through are the shared ones: the score needs
    /// no second comparison of the values. The candidates of one incident come together.
    ///
    /// `joinsAlone` holds the kinds whose sharing alone can join; the others need company.
    /// Every finding that can join is returned; one sharing only a single kind outside
    /// `joinsAlone` may be left out, exactly for the kind with the most incidents: those are
    /// visited only when another kind reached them already. In an alert storm that kind is a
    /// shared destination or host with hundreds of incidents behind it, almost none of them
    /// sharing anything else. (`.all` turns this off: every sharing finding is returned.)
    ///
    /// Why the rest is built this way: every new finding reaches the same big incidents through
    /// three or four values, 16 postings each. Each incident is found once per value through an
    /// array of slots, and a finding's postings are matched by index within its incident,
    /// instead of hashing every posting and allocating a list of kinds per candidate.
    func candidates(for entities: Entities, eventTime: Int64, window: Int64, joinsAlone: SharedKinds = .all) -> [Candidate] {
        var maps: [(bit: SharedKinds, byIncident: [Handle: [Posting]])] = []
        maps.reserveCapacity(4)
        for kind in EntityKind.allCases {
            guard let value = entities.correlationKey(kind), let byIncident = postings[Key(kind: kind, value: value)] else { continue }
            maps.append((SharedKinds(kind), byIncident))
        }
        // The weak kind with the most incidents goes last and only adds to incidents found.
        var deferred: Int?
        for index in maps.indices where !joinsAlone.contains(maps[index].bit) {
            if maps[index].byIncident.count > (deferred.map { maps[$0].byIncident.count } ?? 1) { deferred = index }
        }
        var slots: [Handle: Int] = [:]
        var groups: [(incident: Handle, members: [Candidate])] = []
        if let largest = maps.map(\.byIncident.count).max() {
            slots.reserveCapacity(largest)
            groups.reserveCapacity(largest)
        }
        /// The postings of `list` within the window gain `bit` in their incident's group;
        /// `addingNew: false` leaves out findings the group does not hold yet.
        func add(_ list: [Posting], through bit: SharedKinds, to slot: Int, addingNew: Bool = true) {
            for posting in list where abs(posting.eventTime - eventTime) <= window {
                if let index = groups[slot].members.firstIndex(where: { $0.findingIndex == posting.findingIndex }) {
                    groups[slot].members[index].shared.insert(bit)
                } else if addingNew {
                    groups[slot].members.append(Candidate(incident: groups[slot].incident, findingIndex: posting.findingIndex, shared: bit))
                }
            }
        }
        for index in maps.indices where index != deferred {
            let bit = maps[index].bit
            for (handle, list) in maps[index].byIncident {
                let slot: Int
                if let known = slots[handle] {
                    slot = known
                } else {
                    slot = groups.count
                    slots[handle] = slot
                    groups.append((handle, []))
                }
                add(list, through: bit, to: slot)
            }
        }
        if let deferred {
            let (bit, byIncident) = maps[deferred]
            // Only findings already reached gain the bit: one reached through this kind alone
            // cannot join.
            for slot in groups.indices {
                if let list = byIncident[groups[slot].incident] { add(list, through: bit, to: slot, addingNew: false) }
            }
        }
        return groups.count == 1 ? groups[0].members : groups.flatMap(\.members)
    }

    mutating func remove(_ incidentID: String) {
        guard let handle = handles.removeValue(forKey: incidentID) else { return }
        let slot = Int(handle)
        for key in keysByHandle[slot] {
            postings[key]?[handle] = nil
            if postings[key]?.isEmpty == true { postings[key] = nil }
        }
        keysByHandle[slot] = []
        ids[slot] = nil
        lastActivity[slot] = .min
        freeHandles.append(handle)
    }

    /// Drops incidents idle for longer than `retention`; returns their ids.
    @discardableResult
    mutating func evict(now: Int64, retention: Int64) -> [String] {
        guard now > earliestExpiry else { return [] }
        var expired: [String] = []
        var next: Int64 = .max
        for slot in ids.indices {
            guard let id = ids[slot] else { continue }
            let expiry = Self.expiry(lastActivity[slot], retention)
            if expiry < now { expired.append(id) } else { next = min(next, expiry) }
        }
        for id in expired { remove(id) }
        earliestExpiry = next
        return expired
    }

    private static func expiry(_ last: Int64, _ retention: Int64) -> Int64 {
        last > .max - retention ? .max : last + retention
    }
}
