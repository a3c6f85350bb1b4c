import GRDB
import GRDBSQLite
import MWRASPCore

/// Inserts events through GRDB's cached prepared statement, binding values with the SQLite C
/// API directly. Why not `execute(arguments:)`: building a `StatementArguments` (an array of
/// existentials, plus a `Data` copy per blob) cost more CPU than SQLite itself per event in the
/// benchmark; binding straight from the `Event`'s storage removes those allocations. The SQL is
/// still one fixed prepared statement; no value ever enters the SQL text.
struct EventInsert {
    private let statement: Statement
    private let connection: OpaquePointer

    init(db: Database) throws {
        statement = try db.cachedStatement(sql: EventRow.insertSQL)
        connection = db.sqliteConnection!
    }

    /// Inserts `event`; false when it was skipped as a duplicate (OR IGNORE).
    func insert(_ event: Event, alertID: Int64?) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        bindText(1, event.id.rawValue)
        sqlite3_bind_int64(handle, 2, event.timestamp)
        sqlite3_bind_int64(handle, 3, event.receivedAt)
        bindText(4, event.source.rawValue)
        bindText(5, event.kind.rawValue)
        bindText(6, event.dataset)
        if let severity = event.severity { sqlite3_bind_int64(handle, 7, Int64(severity.rawValue)) } else { sqlite3_bind_null(handle, 7) }
        bindText(8, event.title)
        bindText(9, event.sourceIP)
        bindText(10, event.destinationIP)
        bindText(11, event.userName)
        bindText(12, event.hostName)
        bindText(13, event.externalID)
        bindText(14, event.status)
        if let alertID { sqlite3_bind_int64(handle, 15, alertID) } else { sqlite3_bind_null(handle, 15) }
        // The blobs are bound without a copy (SQLITE_STATIC) and stepped while their storage is
        // pinned; the bindings are cleared before the buffers go away.
        let code = event.document.withUnsafeBytes { document in
            event.original.withUnsafeBytes { original in
                bindBlob(16, document)
                bindBlob(17, original)
                defer { sqlite3_clear_bindings(handle) }
                return sqlite3_step(handle)
            }
        }
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: EventRow.insertSQL)
        }
        return sqlite3_changes(connection) > 0
    }

    private func bindText(_ index: Int32, _ text: String?) {
        let handle = statement.sqliteStatement
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), SQLITE_TRANSIENT)
        }
    }

    private func bindBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        // An empty array has no base address; SQLite reads a null pointer as NULL, so bind a
        // zero-length blob explicitly (the column is NOT NULL).
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(statement.sqliteStatement, index, 0)
        } else {
            sqlite3_bind_blob(statement.sqliteStatement, index, bytes.baseAddress, Int32(bytes.count), nil)
        }
    }
}

/// SQLite's "copy this value now" destructor marker (a C macro, so not imported).
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
