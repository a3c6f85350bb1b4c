/// What one or more logged frames change in SQLite, and the log position after them: the
/// indexer applies it in one transaction together with that position as its checkpoint.
struct IndexBatch: Sendable {
    var events: [LoggedEvent] = []
    var alerts: [AlertRecord] = []
    var keys: [LoggedKey] = []
    /// Position after the last frame this batch covers.
    var endPosition: Int64 = 0
    /// The writer queue's accounting for these events, released once they are indexed.
    var queuedEvents = 0
    var queuedBytes = 0

    mutating func append(_ entry: LogEntry) {
        switch entry {
        case .event(let event): events.append(event)
        case .alert(let alert): alerts.append(alert)
        case .idempotency(let key): keys.append(key)
        }
    }
}
