import Synchronization

/// Evaluator scratch kept between events, per rule set: taking one costs a lock instead of
/// the dozen allocations (field tables, value buffers, bitsets) of a fresh one. Bounded: at
/// most `limit` are kept, and one whose buffers grew past `maxRetainedBytes` (a huge event)
/// is dropped rather than kept.
final class SigmaEvaluatorPool: Sendable {
    private let free = Mutex<[SigmaEvaluatorScratch]>([])
    private let limit = 16
    private let maxRetainedBytes = 256 * 1024

    /// A scratch for `slots` field slots: a pooled one, or a new one.
    func take(slots: Int) -> SigmaEvaluatorScratch {
        free.withLock { $0.popLast() } ?? SigmaEvaluatorScratch(slots: slots)
    }

    /// Returns a scratch taken with `take`; the caller keeps no reference to it. It is reset
    /// here, so that a pooled scratch keeps no event's values alive.
    func give(_ scratch: SigmaEvaluatorScratch) {
        guard scratch.retainedBytes <= maxRetainedBytes else { return }
        scratch.reset()
        free.withLock { free in
            if free.count < limit { free.append(scratch) }
        }
    }
}
