import MWRASPCore

/// One `append` call waiting in the writer queue: its events and the continuation to resume
/// once the transaction holding them has committed (or failed).
struct PendingAppend: Sendable {
    let events: [Event]
    /// Parallel to `events`; nil = no dedup for that event.
    let fingerprints: [String?]
    let idempotencyKey: String?
    let answer: StoredAnswer?
    /// `appendIdentified`: a single event whose duplicate is answered with the stored event's id.
    var reportsDuplicate = false
    /// The request's share of the writer queue's byte budget.
    let bytes: Int
    let continuation: CheckedContinuation<Result<AppendOutcome, StoreError>, Never>
}
