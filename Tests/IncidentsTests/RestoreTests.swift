import Foundation
import MWRASPCore
import Testing
@testable import Incidents

@Suite struct RestoreTests {
    /// Persists like the integrator: the latest snapshot per incident, every entry appended,
    /// through JSON, as rows in a database would be.
    final class Store {
        var snapshots: [String: Data] = [:]
        var entries: [String: [Data]] = [:]

        func write(_ update: IncidentUpdate) throws {
            snapshots[update.incident.id] = try JSONEncoder().encode(update.incident)
            for entry in update.entries { entries[entry.incidentID, default: []].append(try JSONEncoder().encode(entry)) }
        }

        func restore(_ configuration: IncidentBookConfiguration) throws -> IncidentBook {
            let incidents = try snapshots.values.map { try JSONDecoder().decode(Incident.self, from: $0) }
            let timelines = try entries.mapValues { try $0.map { try JSONDecoder().decode(TimelineEntry.self, from: $0) } }
            return IncidentBook(restoring: incidents, timelines: timelines, configuration: configuration)
        }
    }

    @Test func restoreAfterRestart_givesTheSameCorrelationDecisions() throws {
        let configuration = IncidentBookConfiguration(idSeed: 9)
        let live = IncidentBook(configuration: configuration)
        let store = Store()
        let history = [
            detection("det_1", source: "10.0.0.1", user: "alice", at: t0),
            detection("det_2", destination: "198.51.100.9", user: "bob", host: "ws-2", at: t0 + 10 * second),
            detection("det_3", source: "10.0.0.1", host: "ws-1", at: t0 + 20 * second),
            detection("det_4", user: "carol", host: "ws-3", at: t0 + 30 * second),
        ]
        for (offset, item) in history.enumerated() {
            try store.write(live.correlate(item, now: t0 + Int64(offset) * second))
        }
        let someID = try #require(live.list().items.last?.id)
        try store.write(try live.apply(IncidentPatch(phase: .containment, assignee: "alice"), to: someID, now: t0 + 40 * second))
        let restored = try store.restore(configuration)

        #expect(restored.list().items == live.list().items)
        for item in live.list().items {
            #expect(restored.timeline(id: item.id) == live.timeline(id: item.id))
        }
        let probes = [
            detection("det_5", user: "bob", host: "ws-2", at: t0 + 2 * minute),          // joins det_2's incident
            detection("det_6", source: "10.0.0.1", at: t0 + 3 * minute),                  // joins det_1's
            detection("det_7", user: "carol", at: t0 + 3 * minute),                       // user alone: new
            detection("det_8", source: "10.0.0.1", at: t0 + 20 * minute),                 // outside the window: new
        ]
        for (offset, probe) in probes.enumerated() {
            let now = t0 + 3 * minute + Int64(offset) * second
            let a = live.correlate(probe, now: now)
            let b = restored.correlate(probe, now: now)
            #expect(a.kind == b.kind, "\(probe.id)")
            #expect(a.score == b.score, "\(probe.id)")
            if a.kind == .joined { #expect(a.incident.id == b.incident.id, "\(probe.id)") }
            #expect(a.entries.map(\.sequence) == b.entries.map(\.sequence))
        }
        // New ids continue after the restored ones.
        let newest = restored.list().items[0].id
        #expect(history.count < restored.list(IncidentQuery(limit: 1000)).items.count)
        #expect(restored.list().items.map(\.id) == restored.list().items.map(\.id).sorted(by: >))
        #expect(newest > someID)
    }

    @Test func restoredDeadlinesStillBreach() throws {
        let (book, id) = bookWithIncident(severity: .high)
        let snapshot = try #require(book.incident(id: id))
        let restored = IncidentBook(restoring: [snapshot], timelines: [id: book.timeline(id: id) ?? []])
        let updates = restored.tick(now: t0 + 2 * second)
        #expect(updates.first?.incident.responseTimers.first?.state == .breached)
        #expect(updates.first?.entries.first?.sequence == snapshot.timelineCount + 1)
    }
}
