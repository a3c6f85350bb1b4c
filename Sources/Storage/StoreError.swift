/// Why a store operation failed. The API maps these to HTTP answers: `overloaded` to 503 with
/// `Retry-After`, `invalidCursor` to 400, `closed` and `database` to 503/500.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The writer queue is full; the caller should retry after this many seconds.
    case overloaded(retryAfterSeconds: Int)
    /// The store was closed (shutdown in progress).
    case closed
    /// A pagination cursor that this store did not produce.
    case invalidCursor(String)
    /// SQLite failed; the message says how.
    case database(String)

    public var description: String {
        switch self {
        case .overloaded(let seconds): "store overloaded, retry after \(seconds) s"
        case .closed: "store closed"
        case .invalidCursor(let cursor): "invalid cursor: \(cursor)"
        case .database(let message): "database error: \(message)"
        }
    }

    /// Wraps any error thrown by GRDB/SQLite, keeping `StoreError`s as they are.
    static func wrap(_ error: any Error) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        return .database(String(describing: error))
    }
}
