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

    /// Memory for the newest events kept for the detection pipeline (see `RecentEvents`). What
    /// does not fit is read from SQLite, which costs more per event and first waits for the
    /// indexer, so the buffer must ride out a slow patch at full load: at 50,000 events/s
    /// offered (DetectionBench phase 3) the p99 detection latency was 1,160 ms with 4 MiB
    /// (about 1,400 Sysmon events, 30 ms of that load) and 188 ms with 16 MiB (32 MiB: 191 ms,
    /// 64 MiB: 165 ms; same minutes). The cost is resident memory while the pipeline is
    /// behind: it is handed back as the pipeline consumes.
    public var recentEventBytes = 16 << 20

    /// How often a background connection copies the WAL into the database file (see
    /// `WALCheckpointer`); 0 leaves checkpoints to the writer's commits alone.
    public var walCheckpointMilliseconds = 200

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
