import Dispatch
import GRDB
import Logging

/// Copies SQLite's write-ahead log into the database file from a connection and a thread of its
/// own, a few times a second, so that the writer connection (the indexer's and the detection
/// pipeline's) seldom has to.
///
/// Why: SQLite runs its automatic checkpoint inside the commit that pushes the WAL past
/// `wal_autocheckpoint` pages, on the committing connection. Ours is the one writer, so every
/// such commit held up the indexer and the detection commits behind it while tens of MiB were
/// copied and synced. In the detection latency benchmark (50,000 events/s offered) that was
/// most of the p99: with inline checkpoints switched off for a test, the p99 of seconds 1-5 of
/// the run fell from 24-45 ms to 13-26 ms (4 alternated runs each).
///
/// A PASSIVE checkpoint never blocks a writer or a reader (SQLite's checkpointer lock is its
/// own); it copies the frames committed before it started. The automatic checkpoint stays
/// configured on the writer as the backstop: when it fires, this has already copied almost
/// everything, so it costs little, and because it runs with no commit in between it lets the
/// next transaction restart the WAL from its beginning (the file stays bounded).
///
/// `@unchecked Sendable`: the timer is set up in `init` and cancelled once in `stop`; the
/// connection is used only on `queue`.
final class WALCheckpointer: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let timer: any DispatchSourceTimer
    private let queue = DispatchQueue(label: "mwrasp.storage.checkpointer", qos: .utility)
    private static let logger = Logger(label: "mwrasp.storage.checkpointer")

    /// Starts checkpointing `path` every `intervalMilliseconds`.
    init(path: String, intervalMilliseconds: Int) throws {
        var configuration = Configuration()
        configuration.label = "mwrasp.storage.checkpointer"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.milliseconds(max(1, intervalMilliseconds))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        timer.setEventHandler { [weak self] in self?.checkpointOnTimer() }
        timer.resume()
    }

    /// One passive checkpoint now: the frames in the WAL and how many of them are in the
    /// database file afterwards (equal when it caught up).
    @discardableResult
    func checkpoint() throws -> (walFrames: Int, checkpointed: Int) {
        try queue.sync { try passiveCheckpoint() }
    }

    /// On `queue` only.
    private func passiveCheckpoint() throws -> (walFrames: Int, checkpointed: Int) {
        try connection.writeWithoutTransaction { db in
            let result = try db.checkpoint(.passive)
            return (result.walFrameCount, result.checkpointedFrameCount)
        }
    }

    private func checkpointOnTimer() {
        do {
            _ = try passiveCheckpoint()
        } catch {
            // Nothing is lost: the frames stay in the WAL and the writer's automatic checkpoint
            // still copies them. Logged at debug: a busy database answers this way at times.
            Self.logger.debug("background WAL checkpoint failed", metadata: ["error": "\(error)"])
        }
    }

    /// Stops the timer and waits for a checkpoint under way (before the store closes).
    func stop() {
        timer.cancel()
        queue.sync {}
        try? connection.close()
    }

    /// A store that failed to open after this started, or was never closed, must not leave the
    /// timer armed (a resumed dispatch source lives on until it is cancelled).
    deinit {
        timer.cancel()
    }
}
