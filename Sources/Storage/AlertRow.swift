import GRDB
import MWRASPCore

/// Maps `AlertRecord` to the `alerts` table and back.
enum AlertRow {
    static let columns = """
        id, fingerprint, first_event_id, last_event_id, count, first_seen, last_seen, severity, status, title, source
        """

    /// The writer owns alert ids, so one upsert per touched alert per frame covers both new and
    /// repeated alerts (bound by `EventInsert.upsert`).
    static let upsertSQL = """
        INSERT INTO alerts (\(columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT(id) DO UPDATE SET last_event_id = excluded.last_event_id, count = excluded.count,
            last_seen = excluded.last_seen, severity = excluded.severity, status = excluded.status,
            title = excluded.title
        """

    static func decode(_ row: Row) throws(StoreError) -> AlertRecord {
        let first: String = row[2]
        let last: String = row[3]
        let sourceText: String = row[10]
        guard let firstID = EventID(rawValue: first), let lastID = EventID(rawValue: last),
              let source = EventSource(rawValue: sourceText)
        else { throw .database("corrupt alert row \(row[0] as Int64)") }
        return AlertRecord(
            id: row[0], fingerprint: row[1], firstEventID: firstID, lastEventID: lastID, count: row[4],
            firstSeen: row[5], lastSeen: row[6], severity: (row[7] as Int?).flatMap(Severity.init(rawValue:)),
            status: row[8], title: row[9], source: source)
    }
}
