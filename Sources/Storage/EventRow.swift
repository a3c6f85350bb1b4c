import Foundation
import GRDB
import MWRASPCore

/// Maps `Event` to the `events` table and back. One column list serves inserts and selects so
/// the two cannot drift apart.
enum EventRow {
    static let columns = """
        id, timestamp, received_at, source, kind, dataset, severity, title, source_ip, destination_ip, \
        user_name, host_name, external_id, status, alert_id, document, original
        """

    /// `columns` prefixed with a table alias, for joins.
    static func qualifiedColumns(_ alias: String) -> String {
        columns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    }

    /// OR IGNORE: an event whose id or (source, external_id) is already stored — earlier in this
    /// transaction or in an earlier one — is skipped; `sqlite3_changes() == 0` tells the writer
    /// so (see `EventInsert`).
    static let insertSQL = "INSERT OR IGNORE INTO events (\(columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

    /// Decodes a row selected with `columns`, in order.
    static func decode(_ row: Row) throws(StoreError) -> StoredEvent {
        let idText: String = row[0]
        guard let id = EventID(rawValue: idText) else { throw .database("corrupt event id \(idText)") }
        let sourceText: String = row[3]
        let kindText: String = row[4]
        guard let source = EventSource(rawValue: sourceText), let kind = EventKind(rawValue: kindText) else {
            throw .database("corrupt event \(idText): source \(sourceText), kind \(kindText)")
        }
        let severity = (row[6] as Int?).flatMap(Severity.init(rawValue:))
        let document: Data = row[15]
        let original: Data = row[16]
        let event = Event(
            id: id, timestamp: row[1], receivedAt: row[2], source: source, kind: kind,
            dataset: row[5], severity: severity, title: row[7],
            sourceIP: row[8], destinationIP: row[9], userName: row[10], hostName: row[11],
            externalID: row[12], status: row[13],
            document: [UInt8](document), original: [UInt8](original))
        return StoredEvent(event: event, alertID: row[14])
    }

    /// What an event costs in the writer queue's byte budget: the blobs plus a fixed overhead for
    /// the typed fields and bookkeeping.
    static func queuedBytes(_ event: Event) -> Int {
        event.document.count + event.original.count + 256
    }
}
