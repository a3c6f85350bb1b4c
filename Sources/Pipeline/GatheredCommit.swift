import Storage
import Synchronization

/// Judged batches waiting for the next detection commit (see `DetectionPipeline.run`).
struct GatheredCommit {
    private(set) var batch = DetectionBatch()
    /// The last sequence judged: the checkpoint this commit records.
    private(set) var through: Int64 = 0
    /// Events judged, for the processed counters.
    private(set) var count = 0

    var isEmpty: Bool { count == 0 && batch.isEmpty }

    mutating func add(_ judged: DetectionBatch, through sequence: Int64, count events: Int) {
        if isEmpty { batch = judged } else { batch.absorb(judged) }
        through = sequence
        count += events
    }
}

/// A detection commit running in its own task, with a flag the loop can look at without
/// waiting (Swift's `Task` cannot say whether it has finished).
final class CommitInFlight: Sendable {
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    let task: Task<Result<Void, StoreError>, Never>
    private let done = Flag()

    /// `onDone` runs when the commit has finished (the loop sleeping between arrivals wakes to
    /// commit what gathered meanwhile).
    init(_ gathered: GatheredCommit, onDone: @escaping @Sendable () -> Void = {},
         _ commit: @escaping @Sendable (DetectionBatch, Int64, Int) async -> Result<Void, StoreError>) {
        let done = self.done
        let batch = gathered.batch
        let through = gathered.through
        let count = gathered.count
        task = Task {
            let result = await commit(batch, through, count)
            done.value.withLock { $0 = true }
            onDone()
            return result
        }
    }

    var isDone: Bool { done.value.withLock { $0 } }
}
