import Foundation
import GRDB
import MWRASPCore

/// Maps `Event` to the `events` table and back.
///
/// Rows written since the event log (schema v3) keep the document and original bytes in the log
/// and point at them (`blob_position`, `document_length`, `original_length`; the blob columns
/// are empty); rows of older data directories still hold the bytes in `document`/`original`.
/// `decode` reads either.
enum EventRow {
    static let columns = """
        id, timestamp, received_at, source, kind, dataset, severity, title, source_ip, destination_ip, \
        user_name, host_name, external_id, status, alert_id, document, original, \
        blob_position, document_length, original_length
        """
    /// Index of the first column after `columns`, for selects that add more.
    static let columnCount = 20

    /// `columns` prefixed with a table alias, for joins.
    static func qualifiedColumns(_ alias: String) -> String {
        columns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    }

    /// OR IGNORE: a row whose seq, id or (source, external_id) is already stored is skipped
    /// (a replay of the log after a crash re-applies frames the checkpoint had not covered).
    static let insertSQL = """
        INSERT OR IGNORE INTO events (seq, id, timestamp, received_at, source, kind, dataset, severity, title, \
        source_ip, destination_ip, user_name, host_name, external_id, status, alert_id, document, original, \
        blob_position, document_length, original_length)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,X'',X'',?,?,?)
        """

    /// Decodes a row selected with `columns`, in order, bytes and all (one row: a read of its
    /// own; readers of many rows use `decode(_:bytesInLog:)` and `DeferredBytes`).
    static func decode(_ row: Row, log: EventLog) throws(StoreError) -> StoredEvent {
        let (stored, span) = try decode(row, bytesInLog: true)
        guard let span else { return stored }
        let (document, original) = try log.read(position: span.position, lengths: span.first, span.second)
        return StoredEvent(event: stored.event.withBytes(document: document, original: original), alertID: stored.alertID)
    }

    /// `decode` leaving bytes kept in the log to the caller: the event comes without them, with
    /// where they are, so that a caller decoding many rows reads them all at once
    /// (`EventLog.read(_:)`). Bytes held in the row itself (older data) come with the event.
    /// `bytesInLog: false` never returns a span (the caller needs only the typed fields).
    static func decode(_ row: Row, bytesInLog: Bool) throws(StoreError) -> (StoredEvent, EventLog.ByteSpan?) {
        let idText: String = row[0]
        guard let id = EventID(rawValue: idText) else { throw .database("corrupt event id \(idText)") }
        let sourceText: String = row[3]
        let kindText: String = row[4]
        guard let source = EventSource(rawValue: sourceText), let kind = EventKind(rawValue: kindText) else {
            throw .database("corrupt event \(idText): source \(sourceText), kind \(kindText)")
        }
        let severity = (row[6] as Int?).flatMap(Severity.init(rawValue:))
        let document: [UInt8]
        let original: [UInt8]
        var span: EventLog.ByteSpan?
        if !bytesInLog {
            document = []
            original = []
        } else if let position = row[17] as Int64? {
            span = EventLog.ByteSpan(position: position, first: row[18], second: row[19])
            document = []
            original = []
        } else {
            document = [UInt8](row[15] as Data)
            original = [UInt8](row[16] as Data)
        }
        let event = Event(
            id: id, timestamp: row[1], receivedAt: row[2], source: source, kind: kind,
            dataset: row[5], severity: severity, title: row[7],
            sourceIP: row[8], destinationIP: row[9], userName: row[10], hostName: row[11],
            externalID: row[12], status: row[13],
            document: document, original: original)
        return (StoredEvent(event: event, alertID: row[14]), span)
    }

    /// What an event costs in the writer queue's byte budget: the blobs plus a fixed overhead for
    /// the typed fields and bookkeeping.
    static func queuedBytes(_ event: Event) -> Int {
        event.document.count + event.original.count + 256
    }
}
