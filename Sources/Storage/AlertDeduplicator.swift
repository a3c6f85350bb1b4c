import GRDB
import MWRASPCore

/// Folds repeated alerts into one `alerts` row per fingerprint and dedup window.
///
/// Confined to the writer queue (not thread-safe on purpose). It keeps the latest alert of each
/// recently seen fingerprint in memory and changes it in place, so dedup costs no SELECT and no
/// copy per event; a fingerprint not in memory is looked up in SQLite only if the key filter has
/// seen it (after a restart, or after eviction). Touched alerts are logged once per batch
/// (`takeDirty`), not once per event.
final class AlertDeduplicator {
    /// One cached alert, changed in place.
    private final class Entry {
        var alert: AlertRecord
        var isDirty = false
        init(_ alert: AlertRecord) { self.alert = alert }
    }

    private let window: Int64
    private let escalateAfterRepeats: Int?
    /// Every fingerprint that has an alert (in SQLite or in memory) is in here.
    private let filter: KeyFilter
    /// Fingerprint -> its latest alert, as it will be once the current batch is logged.
    private var latest: [String: Entry] = [:]
    /// Alerts changed in the current batch.
    private var dirty: [Entry] = []
    /// The writer assigns alert ids itself so that an event can name its alert before the alert
    /// row is written; loaded from the table after each reset.
    private var nextID: Int64?
    /// Newest `lastSeen` recorded: entries older than it by more than the window are dead.
    private var newestSeen: Int64 = .min

    /// Past this many cached fingerprints, expired ones are dropped; past `hardCap`, all are
    /// (they are reloaded from the table on demand, so this only costs lookups).
    private let softCap = 10_000
    private let hardCap = 200_000
    private var sizeAfterEviction = 0
    private var lastEvictionAt: Int64 = .min / 2

    init(windowMilliseconds: Int64, escalateAfterRepeats: Int?, filter: KeyFilter) {
        self.window = windowMilliseconds
        self.escalateAfterRepeats = escalateAfterRepeats
        self.filter = filter
    }

    /// Counts `event` into the alert of `fingerprint` (a repeat within the window, or the
    /// resolution of an alert still open), or opens a new alert; returns the alert's id and
    /// whether this event opened it (else it is a repeat).
    func record(_ event: Event, fingerprint: String, lookups: LookupConnection) throws -> (id: Int64, opened: Bool) {
        newestSeen = Swift.max(newestSeen, event.receivedAt)
        if let entry = try current(fingerprint, lookups: lookups),
           abs(event.receivedAt - entry.alert.lastSeen) <= window || Self.resolves(event, entry.alert) {
            entry.alert.count += 1
            entry.alert.lastSeen = Swift.max(entry.alert.lastSeen, event.receivedAt)
            entry.alert.lastEventID = event.id
            if let status = event.status { entry.alert.status = status }
            if entry.alert.title == nil { entry.alert.title = event.title }
            entry.alert.severity = Self.higher(entry.alert.severity, event.severity)
            if let every = escalateAfterRepeats, every > 0, entry.alert.count % every == 0 {
                entry.alert.severity = Self.raised(entry.alert.severity)
            }
            markDirty(entry)
            return (entry.alert.id, false)
        }
        let id = try takeNextID(lookups: lookups)
        let entry = Entry(AlertRecord(
            id: id, fingerprint: fingerprint, firstEventID: event.id, lastEventID: event.id,
            count: 1, firstSeen: event.receivedAt, lastSeen: event.receivedAt, severity: event.severity,
            status: event.status, title: event.title, source: event.source))
        latest[fingerprint] = entry
        filter.insert(KeyHash(.fingerprint, fingerprint))
        markDirty(entry)
        return (id, true)
    }

    /// Every alert touched since the last call, once each (its state now): the writer logs
    /// them, the indexer upserts them.
    func takeDirty() -> [AlertRecord] {
        guard !dirty.isEmpty else { return [] }
        defer { dirty.removeAll(keepingCapacity: true) }
        return dirty.map { entry in
            entry.isDirty = false
            return entry.alert
        }
    }

    /// Called before each batch: keeps the map bounded. A pass over the map costs its size, so it
    /// runs only when the map has doubled since the last pass or a quarter of the window has
    /// gone by; running it after every commit made a busy window (many live fingerprints, none
    /// expired) cost a full scan per batch. `canForgetLive`: SQLite holds every alert in the map
    /// (the indexer has caught up), so dropping live ones past `hardCap` only costs lookups;
    /// otherwise a lookup could read a stale row.
    func evictExpired(canForgetLive: Bool) {
        guard latest.count > softCap else { return }
        guard latest.count >= 2 * sizeAfterEviction || newestSeen - lastEvictionAt >= window / 4 else { return }
        let horizon = newestSeen - window
        latest = latest.filter { $0.value.alert.lastSeen >= horizon }
        if latest.count > hardCap, canForgetLive { latest.removeAll() }
        sizeAfterEviction = latest.count
        lastEvictionAt = newestSeen
    }

    /// Called when a batch failed: the map may hold changes that never reached disk.
    func reset() {
        latest.removeAll()
        sizeAfterEviction = 0
        dirty.removeAll()
        nextID = nil
    }

    private func markDirty(_ entry: Entry) {
        guard !entry.isDirty else { return }
        entry.isDirty = true
        dirty.append(entry)
    }

    private func current(_ fingerprint: String, lookups: LookupConnection) throws -> Entry? {
        if let cached = latest[fingerprint] { return cached }
        guard filter.mightContain(KeyHash(.fingerprint, fingerprint)) else { return nil }
        let stored = try lookups.read { db -> AlertRecord? in
            let statement = try db.cachedStatement(
                sql: "SELECT \(AlertRow.columns) FROM alerts WHERE fingerprint = ? ORDER BY id DESC LIMIT 1")
            return try Row.fetchOne(statement, arguments: [fingerprint]).map { row throws in try AlertRow.decode(row) }
        }
        guard let stored else { return nil }
        let entry = Entry(stored)
        latest[fingerprint] = entry
        return entry
    }

    private func takeNextID(lookups: LookupConnection) throws -> Int64 {
        let next = try nextID ?? lookups.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM alerts") ?? 1
        }
        nextID = next + 1
        return next
    }

    /// A resolution (Alertmanager `resolved`, PagerDuty `resolve`) of an alert still open
    /// resolves that alert however long it has been firing, instead of opening a new alert.
    private static func resolves(_ event: Event, _ alert: AlertRecord) -> Bool {
        isResolution(event.status) && !isResolution(alert.status)
    }

    private static func isResolution(_ status: String?) -> Bool {
        switch status?.lowercased() {
        case "resolved", "resolve": true
        default: false
        }
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
