import GRDB
import MWRASPCore

/// Turns an `EventQuery` into SQL with placeholders. Only the shape of the WHERE clause varies
/// (which filters are present); every value is a bound argument, never spliced into the text.
struct EventQueryPlan {
    let sql: String
    let arguments: StatementArguments
    let limit: Int

    /// Time ranges at most this wide use the timestamp index.
    static let indexedRangeMilliseconds: Int64 = 15 * 60_000

    init(_ query: EventQuery, after cursor: EventID?) {
        var clauses: [String] = []
        var values: [(any DatabaseValueConvertible)?] = []
        func add(_ clause: String, _ value: (any DatabaseValueConvertible)?) {
            clauses.append(clause)
            values.append(value)
        }
        // With both bounds SQLite picks the timestamp index and then sorts every match by id:
        // right for a narrow window (drill-down into an incident), ruinous for "the last day"
        // under bulk ingest. Wider ranges write `+timestamp` (no index on that term), so the
        // query walks the id index newest first and stops at the page limit.
        let narrow = query.from.flatMap { from in query.to.map { to in to - from <= Self.indexedRangeMilliseconds } } ?? false
        let column = narrow ? "timestamp" : "+timestamp"
        if let from = query.from { add("\(column) >= ?", from) }
        if let to = query.to { add("\(column) < ?", to) }
        if let value = query.sourceIP { add("source_ip = ?", value) }
        if let value = query.destinationIP { add("destination_ip = ?", value) }
        if let value = query.hostName { add("host_name = ?", value) }
        if let value = query.userName { add("user_name = ?", value) }
        if let value = query.dataset { add("dataset = ?", value) }
        if let value = query.kind { add("kind = ?", value.rawValue) }
        if let value = query.source { add("source = ?", value.rawValue) }
        if let cursor { add("id < ?", cursor.rawValue) }

        limit = min(1000, max(1, query.limit))
        // One row more than the page tells whether another page follows.
        values.append(limit + 1)
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        sql = "SELECT \(EventRow.columns) FROM events\(whereClause) ORDER BY id DESC LIMIT ?"
        arguments = StatementArguments(values)
    }

    func page(db: Database, log: EventLog) throws -> EventPage {
        let statement = try db.cachedStatement(sql: sql)
        var items: [StoredEvent] = []
        // A page's bytes in few reads, not one per event.
        var bytes = DeferredBytes()
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let (stored, span) = try EventRow.decode(row, bytesInLog: true)
            bytes.note(span, at: items.count)
            items.append(stored)
        }
        try bytes.read(from: log) { index, document, original in
            items[index].event = items[index].event.withBytes(document: document, original: original)
        }
        guard items.count > limit else { return EventPage(items: items, nextCursor: nil) }
        items.removeLast(items.count - limit)
        return EventPage(items: items, nextCursor: items.last.map { EventCursor.encode($0.event.id) })
    }
}
