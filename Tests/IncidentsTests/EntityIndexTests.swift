import MWRASPCore
import Testing
@testable import Incidents

@Suite struct EntityIndexTests {
    @Test func idleIncidentsLeaveTheIndex() {
        // Window 5 min + lateness 5 min: an incident stays 10 min after its last finding arrived.
        let book = book()
        _ = book.correlate(detection(source: "10.0.0.1", host: "ws-1"), now: t0)
        _ = book.correlate(detection(source: "10.0.0.2", user: "bob"), now: t0 + minute)
        #expect(book.indexSize.incidents == 2)
        #expect(book.indexSize.keys == 4)
        _ = book.tick(now: t0 + 10 * minute)
        #expect(book.indexSize.incidents == 2, "exactly at the retention: kept")
        _ = book.tick(now: t0 + 10 * minute + 1)
        #expect(book.indexSize.incidents == 1)
        #expect(book.indexSize.keys == 2)
        _ = book.tick(now: t0 + 11 * minute + 1)
        #expect(book.indexSize == (0, 0))
    }

    @Test func aLateFindingPastTheRetention_opensANewIncident() {
        let book = book()
        let first = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0)
        // Event time within ±5 min, but it arrives 11 minutes later: the incident left the index.
        let late = book.correlate(detection(source: "10.0.0.1", at: t0 + minute), now: t0 + 11 * minute)
        #expect(late.kind == .created)
        #expect(late.incident.id != first.incident.id)
        // Within the lateness allowance it still joins.
        let again = book.correlate(detection(source: "10.0.0.1", at: t0 + 5 * minute), now: t0 + 12 * minute)
        #expect(again.incident.id == late.incident.id)
    }

    @Test func joiningKeepsAnIncidentIndexed() {
        let book = book()
        let first = book.correlate(detection(source: "10.0.0.1", at: t0), now: t0)
        var last = first
        for step in 1...6 {
            last = book.correlate(detection(source: "10.0.0.1", at: t0 + Int64(step) * 4 * minute), now: t0 + Int64(step) * 4 * minute)
        }
        #expect(last.incident.id == first.incident.id)
        #expect(last.incident.findingCount == 7)
        #expect(book.indexSize.incidents == 1)
    }

    @Test func resolvedAndClosedIncidentsLeaveTheIndexAtOnce() throws {
        let book = book()
        let a = book.correlate(detection(source: "10.0.0.1"), now: t0)
        let b = book.correlate(detection(source: "10.0.0.2"), now: t0)
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: a.incident.id, now: t0 + second)
        _ = try book.apply(IncidentPatch(disposition: .falsePositive), to: b.incident.id, now: t0 + second)
        #expect(book.indexSize == (0, 0))
    }

    @Test func manyIncidents_onlyTheLiveOnesAreIndexed() {
        let book = book()
        for index in 0..<1_000 {
            let now = t0 + Int64(index) * second
            _ = book.correlate(detection(source: "10.1.\(index / 250).\(index % 250)", at: now), now: now)
        }
        // The last 10 min + 1 ms (601 s) of arrivals at one per second.
        #expect(book.indexSize.incidents == 601)
        #expect(book.list(IncidentQuery(limit: 1000)).items.count == 1_000)
    }
}

/// The index's candidates, filtered to those that join, against a brute-force comparison of the
/// finding with every indexed finding: the same (incident, finding, shared kinds), with and
/// without leaving out findings that share only one weak kind.
@Suite struct EntityIndexCandidateTests {
    struct Indexed {
        var incidentID: String
        var findingIndex: Int
        var entities: Entities
        var eventTime: Int64
    }

    struct Match: Hashable {
        var incidentID: String
        var findingIndex: Int
        var shared: UInt8
    }

    static func entities(_ random: inout SplitMix64) -> Entities {
        // Small pools, so findings share one, two or more values; some values absent.
        func pick(_ prefix: String, _ pool: Int) -> String? {
            random.below(5) == 0 ? nil : "\(prefix)\(random.below(pool))"
        }
        return Entities(sourceIP: pick("10.0.0.", 30).map { $0 }, destinationIP: pick("192.0.2.", 4),
                        userName: pick("user", 6), hostName: pick("host-", 5))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func joiningCandidatesMatchABruteForceComparison(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let weights = CorrelationWeights.default
        let window: Int64 = 300_000
        var index = EntityIndex()
        var indexed: [Indexed] = []
        for incident in 0..<300 {
            let id = "INC-\(incident)"
            for finding in 0..<(1 + random.below(4)) {
                let item = Indexed(incidentID: id, findingIndex: finding, entities: Self.entities(&random),
                                   eventTime: Int64(random.below(1_200_000)))
                indexed.append(item)
                index.insert(incidentID: id, findingIndex: finding, entities: item.entities, eventTime: item.eventTime,
                             arrivedAt: 0, retention: .max / 2)
            }
        }
        let joinsAlone = SharedKinds(EntityKind.allCases.filter { kind in
            let shared = SharedKinds(kind)
            return CorrelationScore.joins(shared, remaining: CorrelationScore.remaining(shared, weights), weights)
        })
        #expect(joinsAlone == SharedKinds(.sourceIP))
        var joinedSome = 0
        for _ in 0..<400 {
            let entities = Self.entities(&random)
            let eventTime = Int64(random.below(1_200_000))
            var expected: Set<Match> = []
            for item in indexed where abs(item.eventTime - eventTime) <= window {
                let shared = SharedKinds(EntityKind.allCases.filter { kind in
                    entities.correlationKey(kind) != nil && entities.correlationKey(kind) == item.entities.correlationKey(kind)
                })
                if CorrelationScore.joins(shared, remaining: CorrelationScore.remaining(shared, weights), weights) {
                    expected.insert(Match(incidentID: item.incidentID, findingIndex: item.findingIndex, shared: shared.rawValue))
                }
            }
            for mask in [SharedKinds.all, joinsAlone] {
                let candidates = index.candidates(for: entities, eventTime: eventTime, window: window, joinsAlone: mask)
                let joined = candidates.filter { CorrelationScore.joins($0.shared, remaining: CorrelationScore.remaining($0.shared, weights), weights) }
                let found = joined.map { Match(incidentID: index.incidentID(of: $0.incident), findingIndex: $0.findingIndex, shared: $0.shared.rawValue) }
                #expect(found.count == Set(found).count, "each finding once")
                #expect(Set(found) == expected)
                // One incident's candidates come together.
                var seen: Set<EntityIndex.Handle> = []
                var previous: EntityIndex.Handle?
                for candidate in candidates where candidate.incident != previous {
                    #expect(seen.insert(candidate.incident).inserted)
                    previous = candidate.incident
                }
            }
            if !expected.isEmpty { joinedSome += 1 }
        }
        #expect(joinedSome > 50, "the pools are small enough that many findings join")
    }

    @Test func handlesAreReusedAfterRemoval() {
        var index = EntityIndex()
        let entities = Entities(sourceIP: "10.0.0.1", hostName: "h")
        index.insert(incidentID: "A", findingIndex: 0, entities: entities, eventTime: 0, arrivedAt: 0, retention: 1000)
        index.insert(incidentID: "B", findingIndex: 0, entities: entities, eventTime: 0, arrivedAt: 0, retention: 1000)
        index.remove("A")
        index.insert(incidentID: "C", findingIndex: 0, entities: entities, eventTime: 0, arrivedAt: 0, retention: 1000)
        let names = Set(index.candidates(for: entities, eventTime: 0, window: 10).map { index.incidentID(of: $0.incident) })
        #expect(names == ["B", "C"])
        #expect(index.incidentCount == 2)
        #expect(index.evict(now: 1001, retention: 1000).sorted() == ["B", "C"])
        #expect(index.incidentCount == 0 && index.keyCount == 0)
    }
}
