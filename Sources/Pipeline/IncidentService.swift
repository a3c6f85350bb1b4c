import Foundation
import Incidents
import MWRASPCore
import Storage
import Synchronization

/// The pipeline's incident side: correlation through `IncidentBook` (in memory), persistence
/// of every change as a snapshot upsert plus appended timeline rows.
///
/// Snapshots are encoded once per batch per incident (an incident touched by a thousand
/// findings in one batch is written once), in `finish(into:)`.
public final class IncidentService: IncidentCorrelator {
    public let book: IncidentBook
    private let touched = Mutex<Touched>(Touched())

    private struct Touched {
        var incidents: [String: Incident] = [:]
        var entries: [TimelineEntry] = []
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

    public func correlate(_ detection: inout Detection, now: Int64, into batch: inout DetectionBatch) {
        let update = book.correlate(detection, now: now)
        detection.incidentID = update.incident.id
        record(update)
    }

    public func countRepeat(incidentID: String, eventID: EventID, now: Int64, into batch: inout DetectionBatch) {
        // The book counts repeats per finding; the incident's first SIEM-alert finding is the one
        // the repeated alert belongs to.
        guard let incident = book.incident(id: incidentID),
              let finding = incident.findings.first(where: { $0.type == .siemAlert }) else { return }
        var detection = Detection(
            id: finding.detectionID,
            finding: Finding(detectorID: finding.detectorID, type: finding.type, title: finding.title, severity: finding.severity,
                             confidence: finding.confidence, indicators: finding.indicators, eventIDs: [eventID],
                             entities: finding.entities),
            detectedAt: now, eventTime: finding.eventTime, latencySeconds: 0, incidentID: incidentID)
        detection.incidentID = incidentID
        record(book.correlate(detection, repeatCount: finding.repeatCount + 1, now: now))
    }

    public func tick(now: Int64, into batch: inout DetectionBatch) {
        for update in book.tick(now: now) { record(update) }
        finish(into: &batch)
    }

    /// Writes what changed since the last call into `batch`.
    public func finish(into batch: inout DetectionBatch) {
        let touched = self.touched.withLock { touched -> Touched in
            defer { touched = Touched() }
            return touched
        }
        // The book's current snapshot, not the one captured at correlation: a PATCH in between
        // must not be overwritten by an older copy.
        batch.incidents += touched.incidents.values.map { Self.row(book.incident(id: $0.id) ?? $0) }
        batch.timeline += touched.entries.map(Self.row)
    }

    /// A change made outside the pipeline (PATCH, milestones): its rows, for the caller to save.
    public func rows(for update: IncidentUpdate) -> (IncidentRow, [TimelineRow]) {
        (Self.row(book.incident(id: update.incident.id) ?? update.incident), update.entries.map(Self.row))
    }

    private func record(_ update: IncidentUpdate) {
        touched.withLock { touched in
            touched.incidents[update.incident.id] = update.incident
            touched.entries += update.entries
        }
    }

    static func row(_ incident: Incident) -> IncidentRow {
        IncidentRow(
            id: incident.id, status: incident.status.rawValue, severity: incident.severity.rawValue,
            phase: incident.phase.rawValue, createdAt: incident.openedAt, updatedAt: incident.updatedAt,
            document: encode(incident))
    }

    static func row(_ entry: TimelineEntry) -> TimelineRow {
        TimelineRow(incidentID: entry.incidentID, at: entry.time, document: encode(entry))
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
