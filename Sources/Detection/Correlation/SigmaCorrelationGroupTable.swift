/// The live windows, keyed by (correlation rule, group-by values), with the cap of
/// `SigmaCorrelationLimits.maxGroups` enforced by batch eviction.
struct SigmaCorrelationGroupTable {
    struct Key: Hashable {
        var rule: Int
        var values: [String]
    }

    private struct Entry {
        var window: any SigmaCorrelationWindow
        /// The newest event time that touched it (event time, never the wall clock).
        var lastActive: Int64
        var span: Int64
    }

    private var entries: [Key: Entry] = [:]
    private let maxGroups: Int

    init(maxGroups: Int) {
        self.maxGroups = maxGroups
    }

    var count: Int { entries.count }

    /// The window for `key`, made by `make` when absent; `time` marks it active.
    mutating func window(_ key: Key, time: Int64, span: Int64, make: () -> any SigmaCorrelationWindow) -> any SigmaCorrelationWindow {
        if let entry = entries[key] {
            if time > entry.lastActive { entries[key]!.lastActive = time }
            return entry.window
        }
        if entries.count >= maxGroups { evict(now: time) }
        let window = make()
        entries[key] = Entry(window: window, lastActive: time, span: span)
        return window
    }

    /// First the windows idle for longer than their timespan (they hold nothing live), then
    /// the least recently active, until 90% of the cap is left.
    private mutating func evict(now: Int64) {
        entries = entries.filter { $0.value.lastActive > now - $0.value.span }
        let target = maxGroups - max(1, maxGroups / 10)
        guard entries.count > target else { return }
        let oldest = entries.sorted { $0.value.lastActive < $1.value.lastActive }.prefix(entries.count - target)
        for (key, _) in oldest { entries[key] = nil }
    }
}
