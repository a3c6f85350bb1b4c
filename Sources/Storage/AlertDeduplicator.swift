import GRDB
import MWRASPCore

/// Folds repeated alerts into one `alerts` row per fingerprint and dedup window.
///
/// Confined to the writer queue (not thread-safe on purpose). It keeps the latest alert of each
/// recently seen fingerprint in memory, so dedup costs no SELECT per event; after a restart (or a
/// failed batch) the map starts empty and each fingerprint is looked up once, then cached.
/// Touched alerts are written once per batch (`flush`), not once per event.
final class AlertDeduplicator {
    private let window: Int64
    private let escalateAfterRepeats: Int?
    /// Fingerprint -> its latest alert, as it will be after the current transaction commits.
    private var latest: [String: AlertRecord] = [:]
    /// Alerts changed in the current transaction, by id.
    private var dirty: [Int64: AlertRecord] = [:]
    /// The writer assigns alert ids itself so that an event row can name its alert before the
    /// alert row is written; loaded from the table after each reset.
    private var nextID: Int64?
    /// Newest `lastSeen` written: entries older than it by more than the window are dead.
    private var newestSeen: Int64 = .min

    /// Past this many cached fingerprints, expired ones are dropped; past `hardCap`, all are
    /// (they are reloaded from the table on demand, so this only costs lookups).
    private let softCap = 10_000
    private let hardCap = 200_000
    private var sizeAfterEviction = 0
    private var lastEvictionAt: Int64 = .min / 2

    init(windowMilliseconds: Int64, escalateAfterRepeats: Int?) {
        self.window = windowMilliseconds
        self.escalateAfterRepeats = escalateAfterRepeats
    }

    var cachedFingerprints: Int { latest.count }

    /// What the alert for `fingerprint` becomes with `event` (a repeat within the window, or a
    /// new alert). Changes nothing: the writer applies it only once the event row is inserted.
    func plan(_ event: Event, fingerprint: String, db: Database) throws -> AlertRecord {
        if var alert = try current(fingerprint, db: db),
           abs(event.receivedAt - alert.lastSeen) <= window {
            alert.count += 1
            alert.lastSeen = Swift.max(alert.lastSeen, event.receivedAt)
            alert.lastEventID = event.id
            if let status = event.status { alert.status = status }
            if alert.title == nil { alert.title = event.title }
            alert.severity = Self.higher(alert.severity, event.severity)
            if let every = escalateAfterRepeats, every > 0, alert.count % every == 0 {
                alert.severity = Self.raised(alert.severity)
            }
            return alert
        }
        return AlertRecord(
            id: try peekNextID(db: db), fingerprint: fingerprint, firstEventID: event.id, lastEventID: event.id,
            count: 1, firstSeen: event.receivedAt, lastSeen: event.receivedAt, severity: event.severity,
            status: event.status, title: event.title, source: event.source)
    }

    /// Records a planned alert whose event row was stored.
    func apply(_ alert: AlertRecord) {
        latest[alert.fingerprint] = alert
        dirty[alert.id] = alert
        if let next = nextID, alert.id >= next { nextID = alert.id + 1 }
        newestSeen = Swift.max(newestSeen, alert.lastSeen)
    }

    /// Writes every alert touched in this transaction (one upsert each).
    func flush(db: Database) throws {
        guard !dirty.isEmpty else { return }
        let statement = try db.cachedStatement(sql: AlertRow.upsertSQL)
        for alert in dirty.values {
            try statement.execute(arguments: AlertRow.arguments(alert))
        }
        dirty.removeAll(keepingCapacity: true)
    }

    /// Called after a commit: keeps the map bounded. A pass over the map costs its size, so it
    /// runs only when the map has doubled since the last pass or a quarter of the window has
    /// gone by; running it after every commit made a busy window (many live fingerprints, none
    /// expired) cost a full scan per batch.
    func evictExpired() {
        guard latest.count > softCap else { return }
        guard latest.count >= 2 * sizeAfterEviction || newestSeen - lastEvictionAt >= window / 4 else { return }
        let horizon = newestSeen - window
        latest = latest.filter { $0.value.lastSeen >= horizon }
        if latest.count > hardCap { latest.removeAll() }
        sizeAfterEviction = latest.count
        lastEvictionAt = newestSeen
    }

    /// Called when a transaction rolled back: the map may hold changes that never reached disk.
    func reset() {
        latest.removeAll()
        sizeAfterEviction = 0
        dirty.removeAll()
        nextID = nil
    }

    private func current(_ fingerprint: String, db: Database) throws -> AlertRecord? {
        if let cached = latest[fingerprint] { return cached }
        let statement = try db.cachedStatement(
            sql: "SELECT \(AlertRow.columns) FROM alerts WHERE fingerprint = ? ORDER BY last_seen DESC LIMIT 1")
        guard let row = try Row.fetchOne(statement, arguments: [fingerprint]) else { return nil }
        let alert = try AlertRow.decode(row)
        latest[fingerprint] = alert
        return alert
    }

    private func peekNextID(db: Database) throws -> Int64 {
        if let nextID { return nextID }
        let next = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM alerts") ?? 1
        nextID = next
        return next
    }

    /// nil ranks below every severity.
    private static func higher(_ lhs: Severity?, _ rhs: Severity?) -> Severity? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return Swift.max(lhs, rhs)
    }

    /// One level up, capped at critical; an alert without severity counts as info.
    private static func raised(_ severity: Severity?) -> Severity {
        let level = severity ?? .info
        return Severity(rawValue: level.rawValue + 1) ?? .critical
    }
}
