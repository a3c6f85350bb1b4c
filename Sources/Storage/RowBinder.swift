import GRDB
import GRDBSQLite

/// Binds one row's values to a prepared statement with the SQLite C API and steps it.
///
/// Why not GRDB's `execute(arguments:)`: building a `StatementArguments` (an array of
/// existentials) and letting SQLite copy every text (SQLITE_TRANSIENT, one malloc each) cost more
/// CPU than SQLite's own B-tree work per row in the indexer. Here the texts of a row are copied
/// once into one reused buffer and bound in place (SQLITE_STATIC: valid until the step), and the
/// bindings are cleared before the buffer changes. The SQL is still one fixed prepared
/// statement; no value ever enters the SQL text.
final class RowBinder {
    private enum Value {
        case null
        case integer(Int64)
        case text(offset: Int, count: Int)
    }

    private let statement: Statement
    private let connection: OpaquePointer
    private var values: [Value] = []
    private var bytes: [UInt8] = []

    init(db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection!
        bytes.reserveCapacity(4096)
    }

    func integer(_ value: Int64?) {
        values.append(value.map(Value.integer) ?? .null)
    }

    func text(_ value: String?) {
        guard let value else {
            values.append(.null)
            return
        }
        let offset = bytes.count
        // Native strings are contiguous UTF-8: one copy into the row buffer, no String copy.
        if value.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: value.utf8)
        }
        values.append(.text(offset: offset, count: bytes.count - offset))
    }

    /// Steps the statement with the values given since the last step; true when a row changed.
    @discardableResult
    func step() throws -> Bool {
        let handle = statement.sqliteStatement
        defer {
            values.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
        }
        sqlite3_reset(handle)
        let code = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            for (index, value) in values.enumerated() {
                let position = Int32(index + 1)
                switch value {
                case .null:
                    sqlite3_bind_null(handle, position)
                case .integer(let number):
                    sqlite3_bind_int64(handle, position, number)
                case .text(let offset, let count):
                    // A zero-length text still needs a non-null pointer, or SQLite binds NULL.
                    let pointer = count == 0 ? emptyText : UnsafeRawPointer(buffer.baseAddress! + offset)
                    sqlite3_bind_text(handle, position, pointer.assumingMemoryBound(to: CChar.self), Int32(count), nil)
                }
            }
            defer { sqlite3_clear_bindings(handle) }
            return sqlite3_step(handle)
        }
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        return sqlite3_changes(connection) > 0
    }
}

nonisolated(unsafe) private let emptyText: UnsafeRawPointer = {
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
    pointer.storeBytes(of: 0, as: UInt8.self)
    return UnsafeRawPointer(pointer)
}()
