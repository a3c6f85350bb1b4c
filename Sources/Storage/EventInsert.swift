import GRDB
import MWRASPCore

/// Inserts the indexer's rows: events (their bytes stay in the log; the row points at them) and
/// alert upserts, through `RowBinder`.
struct EventInsert {
    private let events: RowBinder
    private let alerts: RowBinder

    init(db: Database) throws {
        events = try RowBinder(db: db, sql: EventRow.insertSQL)
        alerts = try RowBinder(db: db, sql: AlertRow.upsertSQL)
    }

    /// False when the row was already there (OR IGNORE: a replay after a crash, or a duplicate id).
    @discardableResult
    func insert(_ logged: LoggedEvent) throws -> Bool {
        let event = logged.event
        events.integer(logged.sequence)
        events.text(event.id.rawValue)
        events.integer(event.timestamp)
        events.integer(event.receivedAt)
        events.text(event.source.rawValue)
        events.text(event.kind.rawValue)
        events.text(event.dataset)
        events.integer(event.severity.map { Int64($0.rawValue) })
        events.text(event.title)
        events.text(event.sourceIP)
        events.text(event.destinationIP)
        events.text(event.userName)
        events.text(event.hostName)
        events.text(event.externalID)
        events.text(event.status)
        events.integer(logged.alertID)
        events.integer(logged.blobPosition)
        events.integer(Int64(logged.documentLength))
        events.integer(Int64(logged.originalLength))
        return try events.step()
    }

    /// Inserts or updates an alert to its state in the log (the writer owns alert ids).
    func upsert(_ alert: AlertRecord) throws {
        alerts.integer(alert.id)
        alerts.text(alert.fingerprint)
        alerts.text(alert.firstEventID.rawValue)
        alerts.text(alert.lastEventID.rawValue)
        alerts.integer(Int64(alert.count))
        alerts.integer(alert.firstSeen)
        alerts.integer(alert.lastSeen)
        alerts.integer(alert.severity.map { Int64($0.rawValue) })
        alerts.text(alert.status)
        alerts.text(alert.title)
        alerts.text(alert.source.rawValue)
        try alerts.step()
    }
}
