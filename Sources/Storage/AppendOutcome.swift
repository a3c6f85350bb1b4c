import MWRASPCore

/// What `Store.append` did.
public enum AppendOutcome: Sendable, Equatable {
    /// The events were stored. `skippedDuplicates` counts events whose (source, externalID)
    /// (or id) had been stored before — retries of single alerts inside a bulk body; they were
    /// not stored again.
    case stored(stored: Int, skippedDuplicates: Int)
    /// The idempotency key was seen before: nothing was stored; here is the first answer.
    case replayed(StoredAnswer)
    /// Only from `Store.appendIdentified`: an event of the same source with the same sender id
    /// (or the same id) is stored already, under this id; nothing was stored.
    case duplicate(of: EventID)
}
