import Foundation
import Incidents
import MWRASPCore
import Storage
import Synchronization

/// The pipeline's incident side: correlation through `IncidentBook` (in memory), persistence
/// of every change as a snapshot upsert plus appended timeline rows.
///
/// Timeline entries are written with the batch that made them. Snapshots of the incident
/// itself are written when it opens, then at most once per `snapshotInterval` while findings
/// keep joining it (and at every tick and at shutdown for whatever is left): an incident that
/// a storm touches in every batch would otherwise be re-encoded whole each time. After a crash
/// the stored snapshot can therefore miss up to one interval of joins; the detections and the
/// timeline of those joins are stored regardless.
public final class IncidentService: IncidentCorrelator {
    public let book: IncidentBook
    public static let snapshotInterval: Int64 = 1000
    private let touched = Mutex<Touched>(Touched())

    private struct Touched {
        /// Incidents changed since their last snapshot was written.
        var dirty: Set<String> = []
        var entries: [TimelineEntry] = []
        /// When each recently written incident's snapshot was written.
        var lastWritten: [String: Int64] = [:]
    }

    public init(book: IncidentBook) {
        self.book = book
    }

    /// Rebuilds the book from the store: incidents updated in the last `horizon` (ms) with their
    /// timelines, so correlation and SLA timers carry on after a restart.
    public static func restore(from store: any DetectionStore, now: Int64, horizon: Int64 = 7 * 86_400_000,
                               configuration: IncidentBookConfiguration = IncidentBookConfiguration())
        async throws -> IncidentService
    {
        let decoder = JSONDecoder()
        var incidents: [Incident] = []
        var timelines: [String: [TimelineEntry]] = [:]
        for document in try await store.incidents(updatedSince: now - horizon) {
            let incident = try decoder.decode(Incident.self, from: Data(document))
            incidents.append(incident)
            timelines[incident.id] = try await store.timeline(incidentID: incident.id)
                .map { try decoder.decode(TimelineEntry.self, from: Data($0)) }
        }
        return IncidentService(book: IncidentBook(restoring: incidents, timelines: timelines, configuration: configuration))
    }

    /// Brings an incident that left memory (closed or dormant; see `IncidentBookConfiguration`)
    /// back from its stored record and timeline. False when the store has no such incident.
    public func readopt(id: String, from store: any DetectionStore) async throws -> Bool {
        guard let document = try await store.incident(id: id) else { return false }
        let decoder = JSONDecoder()
        let incident = try decoder.decode(Incident.self, from: Data(document))
        let timeline = try await store.timeline(incidentID: id).map { try decoder.decode(TimelineEntry.self, from: Data($0)) }
        book.adopt(incident, timeline: timeline)
        return true
    }

    public func siemAlertOrigins() -> [EventID: AlertFinding] {
        book.siemAlertOrigins().mapValues { AlertFinding(incidentID: $0.incidentID, detectionID: $0.detectionID) }
    }

    public func correlate(_ detection: inout Detection, now: Int64, into batch: inout DetectionBatch) {
        let update = book.correlate(detection, now: now)
        detection.incidentID = update.incident.id
        record(update)
    }

    public func countRepeats(of alert: AlertFinding, lastEventID: EventID, count: Int, now: Int64,
                             into batch: inout DetectionBatch) {
        guard count > 0 else { return }
        if let counted = book.countRepeats(ofDetection: alert.detectionID, count: count, now: now) {
            record(incidentID: counted.incidentID, entries: counted.entries)
            return
        }
        // Folded and no longer remembered (a storm of thousands of distinct alerts on one
        // incident): counted in place where correlation would fold it.
        if let counted = book.countFoldedAlertRepeats(of: alert.detectionID, in: alert.incidentID, count: count,
                                                      lastEventID: lastEventID, now: now) {
            record(incidentID: counted.incidentID, entries: counted.entries)
            return
        }
        guard let incident = book.incident(id: alert.incidentID) else { return }
        // The alert's own finding; one folded into another (an incident past its finding cap)
        // is counted through correlation, which folds it again.
        let finding = incident.findings.first { $0.detectionID == alert.detectionID }
        let template = finding ?? incident.findings.first { $0.type == .siemAlert }
        guard let template else { return }
        let detection = Detection(
            id: alert.detectionID,
            finding: Finding(detectorID: template.detectorID, type: template.type, title: template.title, severity: template.severity,
                             confidence: template.confidence, indicators: template.indicators, eventIDs: [lastEventID],
                             entities: template.entities),
            detectedAt: now, eventTime: template.eventTime, latencySeconds: 0, incidentID: alert.incidentID)
        let total = finding.map { $0.repeatCount + count } ?? count
        record(book.correlate(detection, repeatCount: total, now: now))
    }

    public func tick(now: Int64, flushAll: Bool, into batch: inout DetectionBatch) {
        for update in book.tick(now: now) { record(update) }
        finish(now: now, force: flushAll, into: &batch)
    }

    public func finish(now: Int64, into batch: inout DetectionBatch) {
        finish(now: now, force: false, into: &batch)
    }

    /// Snapshots written per batch at most, unless forced. Under a steady storm every busy
    /// incident comes due once per interval, and they all came due together (they were all
    /// written together the first time): a thousand incidents re-encoded and written in one
    /// batch stalled the pipeline for tens of milliseconds each second, the p99 detection
    /// latency. A snapshot left for the next batch is a few milliseconds later; one written
    /// spreads the next round.
    public static let snapshotsPerBatch = 96

    /// Writes the new timeline entries, and the snapshots that are due, into `batch`.
    public func finish(now: Int64, force: Bool, into batch: inout DetectionBatch) {
        let (due, entries) = touched.withLock { touched -> ([String], [TimelineEntry]) in
            var due: [String] = []
            for id in touched.dirty where force || touched.lastWritten[id].map({ now - $0 >= Self.snapshotInterval }) ?? true {
                due.append(id)
                if !force, due.count >= Self.snapshotsPerBatch { break }
            }
            for id in due {
                touched.dirty.remove(id)
                touched.lastWritten[id] = now
            }
            if force { touched.lastWritten = touched.lastWritten.filter { now - $0.value < Self.snapshotInterval } }
            defer { touched.entries = [] }
            return (Array(due), touched.entries)
        }
        // The book's current snapshot: a PATCH since correlation must not be overwritten by an
        // older copy.
        // Encoded by the commit, beside correlation, not on this thread (`DeferredDocument`).
        batch.incidents += due.compactMap { book.incident(id: $0).map(Self.deferredRow) }
        batch.timeline += entries.map(Self.deferredRow)
    }

    /// A change made outside the pipeline (PATCH, milestones): its rows, for the caller to save.
    public func rows(for update: IncidentUpdate) -> (IncidentRow, [TimelineRow]) {
        (Self.row(book.incident(id: update.incident.id) ?? update.incident), update.entries.map(Self.row))
    }

    private func record(_ update: IncidentUpdate) {
        record(incidentID: update.incident.id, entries: update.entries)
    }

    private func record(incidentID: String, entries: [TimelineEntry]) {
        touched.withLock { touched in
            touched.dirty.insert(incidentID)
            touched.entries += entries
        }
    }

    static func row(_ incident: Incident) -> IncidentRow {
        IncidentRow(
            id: incident.id, status: incident.status.rawValue, severity: incident.severity.rawValue,
            phase: incident.phase.rawValue, createdAt: incident.openedAt, updatedAt: incident.updatedAt,
            document: incident.jsonBytes())
    }

    static func row(_ entry: TimelineEntry) -> TimelineRow {
        TimelineRow(incidentID: entry.incidentID, at: entry.time, document: entry.jsonBytes())
    }

    /// `row`, with the JSON made when the row is committed.
    static func deferredRow(_ incident: Incident) -> IncidentRow {
        IncidentRow(
            id: incident.id, status: incident.status.rawValue, severity: incident.severity.rawValue,
            phase: incident.phase.rawValue, createdAt: incident.openedAt, updatedAt: incident.updatedAt,
            encoding: { incident.jsonBytes() })
    }

    static func deferredRow(_ entry: TimelineEntry) -> TimelineRow {
        TimelineRow(incidentID: entry.incidentID, at: entry.time, encoding: { entry.jsonBytes() })
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
