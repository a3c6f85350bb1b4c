import GRDB

/// The writer's own read-only SQLite connection, for the exact lookups behind a Bloom filter
/// "maybe" (and alerts not cached in memory). Each lookup is one statement in autocommit mode,
/// so a batch that needs no lookup costs nothing here; a pooled read would open and close a
/// transaction on a reader connection for every batch, which was measurable on the
/// single-event path. In WAL mode it never waits for the indexer. Writer queue only.
final class LookupConnection {
    private let queue: DatabaseQueue

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "mwrasp.storage.lookups"
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.inDatabase(body)
    }
}
