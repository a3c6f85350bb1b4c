import Foundation
import GRDB
import MWRASPCore

extension SQLiteStore: DetectionStore {
    public func events(afterSequence seq: Int64, limit: Int) async throws(StoreError) -> [SequencedEvent] {
        // The pipeline keeping up is served from memory, without waiting for the indexer.
        if let recent = recentEvents.events(after: seq, limit: limit) { return recent }
        let log = eventLog
        return try await read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(EventRow.qualifiedColumns("e")), e.seq, a.first_event_id = e.id
                    FROM events e LEFT JOIN alerts a ON a.id = e.alert_id
                    WHERE e.seq > ? ORDER BY e.seq LIMIT ?
                    """)
            let rows = try Row.fetchCursor(statement, arguments: [seq, max(1, limit)])
            var out: [SequencedEvent] = []
            // The bytes of the whole batch are read together once the rows are in.
            var bytes = DeferredBytes()
            while let row = try rows.next() {
                let first: Bool? = row[EventRow.columnCount + 1]
                // A repeat of an alert is only counted, never judged: its bytes are not read.
                let (stored, span) = try EventRow.decode(row, bytesInLog: first != false)
                bytes.note(span, at: out.count)
                out.append(SequencedEvent(
                    sequence: row[EventRow.columnCount], event: stored.event, alertID: stored.alertID, isRepeat: first == false))
            }
            try bytes.read(from: log) { index, document, original in
                out[index].event = out[index].event.withBytes(document: document, original: original)
            }
            return out
        }
    }

    public func recentAlerts(seenSince since: Int64, limit: Int) async throws(StoreError) -> [AlertOrigin] {
        try await read { db in
            // A scan of the alerts table (no index on last_seen alone): once per start.
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, first_event_id FROM alerts WHERE last_seen >= ? ORDER BY last_seen DESC LIMIT ?",
                arguments: [since, max(0, limit)])
            var out: [AlertOrigin] = []
            while let row = try rows.next() {
                if let first = EventID(rawValue: row[1]) { out.append(AlertOrigin(alertID: row[0], firstEventID: first)) }
            }
            return out
        }
    }

    public func lastEventSequence() async throws(StoreError) -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0 }
    }

    public func commit(_ batch: DetectionBatch) async throws(StoreError) {
        guard !batch.isEmpty else { return }
        // Deferred documents are made here, on the caller's task, not on SQLite's writer.
        var encoded = batch
        encoded.encodeDocuments()
        let batch = encoded
        // Derived data: after a power loss a lost commit rolls back together with its checkpoint
        // and the pipeline judges those events again, so this commit need not fsync.
        try await writeRederivable { db in
            let detection = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO detections (id, detector_id, type, severity, incident_id, detected_at, document)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for row in batch.detections {
                try detection.execute(arguments: [
                    row.id, row.detectorID, row.type, row.severity, row.incidentID, row.detectedAt, Data(row.document),
                ])
            }
            try Self.save(batch.incidents, batch.timeline, db)
            let checkpoint = try db.cachedStatement(sql: """
                INSERT INTO checkpoints (name, value) VALUES (?, ?)
                ON CONFLICT(name) DO UPDATE SET value = excluded.value
                """)
            for (name, value) in batch.checkpoints {
                try checkpoint.execute(arguments: [name, value])
            }
        }
    }

    public func checkpoint(_ name: String) async throws(StoreError) -> Int64? {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT value FROM checkpoints WHERE name = ?", arguments: [name]) }
    }

    public func detections(_ query: RecordQuery) async throws(StoreError) -> RecordPage {
        var filters: [(String, any DatabaseValueConvertible)] = []
        if let type = query.type { filters.append(("type = ?", type)) }
        if let detector = query.detectorID { filters.append(("detector_id = ?", detector)) }
        if let incident = query.incidentID { filters.append(("incident_id = ?", incident)) }
        if let severity = query.severity { filters.append(("severity = ?", severity)) }
        return try await page(table: "detections", filters: filters, query: query)
    }

    public func detection(id: String) async throws(StoreError) -> [UInt8]? {
        try await document(table: "detections", id: id)
    }

    public func incidents(_ query: RecordQuery) async throws(StoreError) -> RecordPage {
        var filters: [(String, any DatabaseValueConvertible)] = []
        if let status = query.status { filters.append(("status = ?", status)) }
        if let severity = query.severity { filters.append(("severity = ?", severity)) }
        if let phase = query.phase { filters.append(("phase = ?", phase)) }
        return try await page(table: "incidents", filters: filters, query: query)
    }

    public func incident(id: String) async throws(StoreError) -> [UInt8]? {
        try await document(table: "incidents", id: id)
    }

    public func incidents(updatedSince since: Int64) async throws(StoreError) -> [[UInt8]] {
        try await read { db in
            try Data.fetchAll(db, sql: "SELECT document FROM incidents WHERE updated_at >= ? ORDER BY id", arguments: [since])
                .map { [UInt8]($0) }
        }
    }

    public func saveIncidents(_ incidents: [IncidentRow], timeline: [TimelineRow]) async throws(StoreError) {
        guard !incidents.isEmpty || !timeline.isEmpty else { return }
        var (encodedIncidents, encodedTimeline) = (incidents, timeline)
        for index in encodedIncidents.indices { encodedIncidents[index].encodeDocument() }
        for index in encodedTimeline.indices { encodedTimeline[index].encodeDocument() }
        let (rows, entries) = (encodedIncidents, encodedTimeline)
        try await write { db in try Self.save(rows, entries, db) }
    }

    public func timeline(incidentID: String) async throws(StoreError) -> [[UInt8]] {
        try await read { db in
            try Data.fetchAll(
                db, sql: "SELECT document FROM incident_timeline WHERE incident_id = ? ORDER BY seq", arguments: [incidentID]
            ).map { [UInt8]($0) }
        }
    }

    public func putRecord(_ record: ManagedRecord) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO managed_records (kind, id, created_at, document) VALUES (?, ?, ?, ?)
                    ON CONFLICT(kind, id) DO UPDATE SET document = excluded.document
                    """,
                arguments: [record.kind, record.id, record.createdAt, Data(record.document)])
        }
    }

    public func deleteRecord(kind: String, id: String) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM managed_records WHERE kind = ? AND id = ?", arguments: [kind, id])
            return db.changesCount > 0
        }
    }

    public func records(kind: String) async throws(StoreError) -> [ManagedRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, id, created_at, document FROM managed_records WHERE kind = ? ORDER BY created_at, id",
                arguments: [kind]
            ).map { row in
                let document: Data = row[3]
                return ManagedRecord(kind: row[0], id: row[1], createdAt: row[2], document: [UInt8](document))
            }
        }
    }

    // MARK: Helpers

    private static func save(_ incidents: [IncidentRow], _ timeline: [TimelineRow], _ db: Database) throws {
        let incident = try db.cachedStatement(sql: """
            INSERT INTO incidents (id, status, severity, phase, created_at, updated_at, document)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
                phase = excluded.phase, updated_at = excluded.updated_at, document = excluded.document
            """)
        for row in incidents {
            try incident.execute(arguments: [
                row.id, row.status, row.severity, row.phase, row.createdAt, row.updatedAt, Data(row.document),
            ])
        }
        let entry = try db.cachedStatement(sql: "INSERT INTO incident_timeline (incident_id, at, document) VALUES (?, ?, ?)")
        for row in timeline {
            try entry.execute(arguments: [row.incidentID, row.at, Data(row.document)])
        }
    }

    private func document(table: String, id: String) async throws(StoreError) -> [UInt8]? {
        try await read { db in
            try Data.fetchOne(db, sql: "SELECT document FROM \(table) WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    /// Newest first by id; the filters' SQL is fixed text chosen above, every value bound.
    private func page(table: String, filters: [(String, any DatabaseValueConvertible)], query: RecordQuery)
        async throws(StoreError) -> RecordPage
    {
        var clauses = filters.map(\.0)
        var values: [(any DatabaseValueConvertible)?] = filters.map(\.1)
        if let cursor = query.cursor {
            clauses.append("id < ?")
            values.append(try RecordCursor.decode(cursor))
        }
        let limit = min(1000, max(1, query.limit))
        values.append(limit + 1)
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let sql = "SELECT id, document FROM \(table)\(whereClause) ORDER BY id DESC LIMIT ?"
        let arguments = StatementArguments(values)
        return try await read { db in
            var ids: [String] = []
            var items: [[UInt8]] = []
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                ids.append(row[0])
                let document: Data = row[1]
                items.append([UInt8](document))
            }
            guard items.count > limit else { return RecordPage(items: items, nextCursor: nil) }
            items.removeLast(items.count - limit)
            return RecordPage(items: items, nextCursor: RecordCursor.encode(ids[limit - 1]))
        }
    }
}
