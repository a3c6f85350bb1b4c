import MWRASPCore

/// The durable store behind ingestion, queries, alerts dedup and tokens. `SQLiteStore` is the
/// embedded implementation (DESIGN.md §10); a PostgreSQL one can follow the same contract.
public protocol Store: Sendable {
    /// Durably stores `events` (group commit): returns only once they are synced to disk. `fingerprints` is parallel to `events` (nil = no dedup for that
    /// event). With `idempotencyKey`: if the key was recorded before, stores nothing and returns
    /// `.replayed(first answer)`; otherwise stores the events and records `answer` under the key
    /// in the same transaction. Events of kind `.alert` with a fingerprint are deduplicated.
    func append(_ events: [Event], fingerprints: [String?], idempotencyKey: String?, answer: StoredAnswer?)
        async throws(StoreError) -> AppendOutcome
    /// One event whose sender id (`externalID`, scoped by source) makes its retries
    /// idempotent: stores it, or, when an event with that sender id (or that id) is stored
    /// already, stores nothing and returns `.duplicate(of: its id)`, so the caller can give the
    /// first answer again. The events table is the ledger: no idempotency key is kept, and the
    /// answer holds for as long as the first event does.
    func appendIdentified(_ event: Event, fingerprint: String?) async throws(StoreError) -> AppendOutcome
    func events(_ query: EventQuery) async throws(StoreError) -> EventPage
    func event(id: EventID) async throws(StoreError) -> StoredEvent?
    func alert(id: Int64) async throws(StoreError) -> AlertRecord?
    func alerts(forFingerprint: String) async throws(StoreError) -> [AlertRecord]
    func eventCount() async throws(StoreError) -> Int

    func insertToken(_ token: TokenRecord) async throws(StoreError)
    /// All tokens, including revoked ones.
    func tokens() async throws(StoreError) -> [TokenRecord]
    /// False when the token is unknown or already revoked.
    func revokeToken(id: String, at: Int64) async throws(StoreError) -> Bool
    /// Batch update of `lastUsedAt` (called periodically, not per request).
    func touchTokens(_ lastUsed: [String: Int64]) async throws(StoreError)

    /// A trivial read succeeds.
    func isHealthy() async -> Bool
    /// A complete copy of the store into a new data directory.
    func backup(to path: String) async throws(StoreError)
    /// Flushes queued appends (they complete), then closes.
    func close() async
}
