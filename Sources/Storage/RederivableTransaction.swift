import GRDB

extension Database {
    /// One transaction of data that can be derived again from what is durable elsewhere (index
    /// rows from the event log; detection results with their checkpoint), committed with
    /// synchronous = NORMAL: the commit does not wait for an fsync, and a power loss can only
    /// roll it back whole. Every other write on the connection stays FULL. Call outside a
    /// transaction (the pragma cannot change inside one).
    func inRederivableTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try execute(sql: "PRAGMA synchronous = NORMAL")
        defer { try? execute(sql: "PRAGMA synchronous = FULL") }
        var result: T?
        try inTransaction(.immediate) {
            result = try body(self)
            return .commit
        }
        return result!
    }
}
