import MWRASPCore
import Synchronization
import Testing
@testable import Storage

@Suite struct DetectionStoreTests {
    @Test func tailsEventsInCommitOrderAndMarksAlertRepeats() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let first = Sample.event(1)
        let repeatOfFirst = Sample.event(2)
        let plain = Sample.event(3, kind: .event)
        _ = try await store.append([first], fingerprints: ["fp"], idempotencyKey: nil, answer: nil)
        _ = try await store.append([repeatOfFirst, plain], fingerprints: ["fp", nil], idempotencyKey: nil, answer: nil)

        let all = try await store.events(afterSequence: 0, limit: 10)
        #expect(all.map(\.event.id) == [first.id, repeatOfFirst.id, plain.id])
        #expect(all.map(\.isRepeat) == [false, true, false])
        #expect(all[0].alertID != nil && all[0].alertID == all[1].alertID && all[2].alertID == nil)
        #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
        let rest = try await store.events(afterSequence: all[0].sequence, limit: 1)
        #expect(rest.map(\.event.id) == [repeatOfFirst.id])
        #expect(try await store.lastEventSequence() == all[2].sequence)
        await store.close()
    }

    /// Rows built with `encoding:` are encoded by the commit (not before), and what is stored
    /// is what the encoding made.
    @Test func deferredDocumentsAreEncodedByTheCommit() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let calls = Mutex(0)
        func encoded(_ text: String) -> @Sendable () -> [UInt8] {
            { calls.withLock { $0 += 1 }; return Array(text.utf8) }
        }
        var batch = DetectionBatch()
        batch.detections = [DetectionRow(id: "det_d1", detectorID: "rule-a", type: "sigma", severity: 1, incidentID: "inc_d",
                                         detectedAt: 1, encoding: encoded(#"{"id":"det_d1"}"#))]
        batch.incidents = [IncidentRow(id: "inc_d", status: "open", severity: 3, phase: "detection", createdAt: 1, updatedAt: 1,
                                       encoding: encoded(#"{"id":"inc_d"}"#))]
        batch.timeline = [TimelineRow(incidentID: "inc_d", at: 1, encoding: encoded("[1]"))]
        var gathered = DetectionBatch()
        gathered.absorb(batch)
        #expect(calls.withLock { $0 } == 0)
        try await store.commit(gathered)
        #expect(calls.withLock { $0 } == 3)
        #expect(try await store.detection(id: "det_d1") == Array(#"{"id":"det_d1"}"#.utf8))
        #expect(try await store.incident(id: "inc_d") == Array(#"{"id":"inc_d"}"#.utf8))
        #expect(try await store.timeline(incidentID: "inc_d") == [Array("[1]".utf8)])
        // The same through saveIncidents (PATCH, ticks).
        try await store.saveIncidents([IncidentRow(id: "inc_d", status: "open", severity: 4, phase: "containment", createdAt: 1,
                                                   updatedAt: 2, encoding: encoded(#"{"id":"inc_d","v":2}"#))], timeline: [])
        #expect(try await store.incident(id: "inc_d") == Array(#"{"id":"inc_d","v":2}"#.utf8))
        await store.close()
    }

    /// The pipeline gathers batches judged while a commit runs into the next commit.
    @Test func aGatheredBatchKeepsEveryRowTheLatestSnapshotAndTheLatestCheckpoint() {
        func incident(_ id: String, updatedAt: Int64) -> IncidentRow {
            IncidentRow(id: id, status: "open", severity: 3, phase: "detection", createdAt: 1, updatedAt: updatedAt, document: [])
        }
        func detection(_ id: String) -> DetectionRow {
            DetectionRow(id: id, detectorID: "rule-a", type: "sigma", severity: 1, incidentID: "inc_a", detectedAt: 1, document: [])
        }
        var first = DetectionBatch()
        first.detections = [detection("det_1")]
        first.incidents = [incident("inc_a", updatedAt: 1), incident("inc_b", updatedAt: 1)]
        first.timeline = [TimelineRow(incidentID: "inc_a", at: 1, document: [1])]
        first.checkpoints = ["detection.sequence": 10]
        var second = DetectionBatch()
        second.detections = [detection("det_2")]
        second.incidents = [incident("inc_a", updatedAt: 2)]
        second.timeline = [TimelineRow(incidentID: "inc_a", at: 2, document: [2])]
        second.checkpoints = ["detection.sequence": 20]
        first.absorb(second)
        #expect(first.detections.map(\.id) == ["det_1", "det_2"])
        #expect(first.incidents.map(\.id) == ["inc_b", "inc_a"])
        #expect(first.incidents.last?.updatedAt == 2)
        #expect(first.timeline.map(\.at) == [1, 2])
        #expect(first.checkpoints == ["detection.sequence": 20])
    }

    @Test func aBatchCommitsDetectionsIncidentsTimelineAndCheckpointTogether() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        var batch = DetectionBatch()
        batch.detections = (1...3).map { n in
            DetectionRow(id: "det_0\(n)", detectorID: n == 3 ? "QTD-001" : "rule-a", type: n == 3 ? "catalog" : "sigma",
                         severity: n, incidentID: "inc_01", detectedAt: Int64(n), document: Array(#"{"n":\#(n)}"#.utf8))
        }
        batch.incidents = [IncidentRow(id: "inc_01", status: "open", severity: 3, phase: "detection", createdAt: 1, updatedAt: 3,
                                       document: Array(#"{"id":"inc_01"}"#.utf8))]
        batch.timeline = [TimelineRow(incidentID: "inc_01", at: 1, document: Array("[1]".utf8)),
                          TimelineRow(incidentID: "inc_01", at: 2, document: Array("[2]".utf8))]
        batch.checkpoints = ["detection.sequence": 42]
        try await store.commit(batch)

        #expect(try await store.checkpoint("detection.sequence") == 42)
        #expect(try await store.checkpoint("other") == nil)
        var query = RecordQuery()
        query.limit = 2
        let page = try await store.detections(query)
        #expect(page.items == [Array(#"{"n":3}"#.utf8), Array(#"{"n":2}"#.utf8)])
        #expect(page.nextCursor != nil)
        query.cursor = page.nextCursor
        let last = try await store.detections(query)
        #expect(last.items == [Array(#"{"n":1}"#.utf8)] && last.nextCursor == nil)
        var byType = RecordQuery()
        byType.type = "catalog"
        #expect(try await store.detections(byType).items.count == 1)
        #expect(try await store.detection(id: "det_02") == Array(#"{"n":2}"#.utf8))
        #expect(try await store.timeline(incidentID: "inc_01") == [Array("[1]".utf8), Array("[2]".utf8)])

        // An updated snapshot replaces the row; the timeline only grows.
        try await store.saveIncidents(
            [IncidentRow(id: "inc_01", status: "closed", severity: 4, phase: "closed", createdAt: 1, updatedAt: 9,
                         document: Array(#"{"id":"inc_01","v":2}"#.utf8))],
            timeline: [TimelineRow(incidentID: "inc_01", at: 9, document: Array("[9]".utf8))])
        var open = RecordQuery()
        open.status = "open"
        #expect(try await store.incidents(open).items.isEmpty)
        #expect(try await store.incident(id: "inc_01") == Array(#"{"id":"inc_01","v":2}"#.utf8))
        #expect(try await store.incidents(updatedSince: 5).count == 1)
        #expect(try await store.incidents(updatedSince: 10).isEmpty)
        #expect(try await store.timeline(incidentID: "inc_01").count == 3)
        await store.close()
    }

    @Test func managedRecordsArePutReplacedListedAndDeleted() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        try await store.putRecord(ManagedRecord(kind: "sigma", id: "r1", createdAt: 1, document: Array("a".utf8)))
        try await store.putRecord(ManagedRecord(kind: "sigma", id: "r2", createdAt: 2, document: Array("b".utf8)))
        try await store.putRecord(ManagedRecord(kind: "sigma", id: "r1", createdAt: 1, document: Array("c".utf8)))
        try await store.putRecord(ManagedRecord(kind: "canary", id: "r1", createdAt: 1, document: Array("d".utf8)))
        #expect(try await store.records(kind: "sigma").map(\.document) == [Array("c".utf8), Array("b".utf8)])
        #expect(try await store.deleteRecord(kind: "sigma", id: "r1"))
        #expect(try await !store.deleteRecord(kind: "sigma", id: "r1"))
        #expect(try await store.records(kind: "sigma").map(\.id) == ["r2"])
        #expect(try await store.records(kind: "canary").count == 1)
        await store.close()
    }

    @Test func aForeignCursorIsRefused() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        var query = RecordQuery()
        query.cursor = "not-a-cursor"
        await #expect(throws: StoreError.invalidCursor("not-a-cursor")) { try await store.incidents(query) }
        await store.close()
    }
}
