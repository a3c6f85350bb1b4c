/// How a `SQLiteStore` is opened and how its writer behaves.
public struct StoreConfiguration: Sendable {
    /// Where `mwrasp.sqlite` lives; created if missing.
    public var dataDirectory: String
    /// Writer queue cap in events (queued, being written, or logged and not yet indexed). Past it `append` answers
    /// `.overloaded` at once, so a burst cannot grow memory without bound.
    public var maxQueuedEvents = 200_000
    /// Writer queue cap in bytes (document + original + a fixed overhead per event).
    public var maxQueuedBytes = 256 << 20
    /// Most events one group-commit transaction takes (one request is never split).
    public var maxBatchEvents = 50_000
    /// Most bytes one group-commit transaction takes (one request is never split).
    public var maxBatchBytes = 16 << 20
    /// Alerts with the same fingerprint received within this window count as one alert.
    public var dedupWindowMilliseconds: Int64 = 300_000
    /// When set: each time an alert's repeat count reaches a multiple of this, its severity is
    /// raised one level (up to critical).
    public var escalateAfterRepeats: Int? = nil
    /// Idempotency keys older than this may be purged.
    public var idempotencyRetentionMilliseconds: Int64 = 24 * 3_600_000

    /// How long the indexer lets logged frames gather before one SQLite transaction applies
    /// them (a read waiting for its write does not wait for this; see `Indexer.enqueue`).
    public var indexGatherMilliseconds = 20

    /// Memory for the newest events kept for the detection pipeline (see `RecentEvents`): a
    /// quarter of a second of single-event POSTs at 15k/s; bulk frames mostly fall past it and
    /// are read from SQLite. (16 MiB added ~70 MiB to the resident peak after bulk ingestion.)
    public var recentEventBytes = 4 << 20

    /// Size of the Bloom filter over stored ids and keys (a power of two, in bits; see `KeyFilter`).
    public var keyFilterBits = 1 << 27

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    /// The event log's segments inside `dataDirectory`.
    public var logDirectory: String {
        dataDirectory.hasSuffix("/") ? dataDirectory + "log" : dataDirectory + "/log"
    }

    /// The database file inside `dataDirectory`.
    public var databasePath: String {
        dataDirectory.hasSuffix("/") ? dataDirectory + "mwrasp.sqlite" : dataDirectory + "/mwrasp.sqlite"
    }
}
