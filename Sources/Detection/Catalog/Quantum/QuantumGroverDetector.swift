import Ingestion
import MWRASPCore
import Synchronization

/// QTD-002 ("Grover's algorithm detection"), built as an enumeration detector over query logs.
/// Telemetry (`mwrasp.query`, one event per lookup):
///
///     {"event":{"kind":"telemetry","dataset":"mwrasp.query"},"user":{"name":"p"},
///      "query":{"key":"k123","hit":false,"keyspace_size":1048576}}
///
/// Per principal (`user.name`, else `source.ip`, else `host.name`) it keeps the probes of the
/// last `windowSeconds` (event time) and fires when all hold: at least `minDistinctKeys`
/// distinct keys, a probing rate (distinct keys / seconds spanned, at least 1 s) above
/// `probeRatePerSecond`, a hit ratio at or under `maxHitRatio` (yes/no oracle probing misses
/// almost always), and the seed's advantage test sqrt(N) < 0.1·N on the search space N
/// (`query.keyspace_size` if sent, else `QuantumKeyspace.estimate`). Nothing here can tell a
/// quantum computer from a classical enumerator; it detects the enumeration a Grover search
/// would need an oracle for.
public final class QuantumGroverDetector: EventDetector {
    public static let dataset = "mwrasp.query"
    public let configuration: QuantumGroverConfiguration
    private let state = Mutex<[String: QuantumProbeWindow]>([:])

    public init(configuration: QuantumGroverConfiguration = QuantumGroverConfiguration()) {
        self.configuration = configuration
    }

    /// Principals currently tracked (bounded by `maxPrincipals`).
    public var trackedPrincipals: Int { state.withLock { $0.count } }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        let event = input.event
        guard event.dataset == Self.dataset, let doc = input.document,
              let query = doc.member(doc.root, "query"), doc.kind(query) == .object,
              let keyNode = doc.member(query, "key"), let key = DetectionInput.text(doc, keyNode),
              let hit = CatalogTape.bool(doc, doc.member(query, "hit")),
              let principal = event.userName ?? event.sourceIP ?? event.hostName else { return [] }
        let sentN = CatalogTape.number(doc, doc.member(query, "keyspace_size")).flatMap { $0 > 0 ? $0 : nil }
        let c = configuration
        let windowMs = Int64(c.windowSeconds * 1000)
        let time = event.timestamp

        return state.withLock { windows -> [Finding] in
            var w = windows[principal] ?? QuantumProbeWindow()
            w.add(time: time, key: key.hashValue, hit: hit, windowMs: windowMs, capacity: c.maxProbesPerPrincipal)
            if let sentN { w.keyspace = sentN; w.keyspaceSent = true } else if !w.keyspaceSent {
                w.keyspace = max(w.keyspace, QuantumKeyspace.estimate(key: key))
            }
            var findings: [Finding] = []
            if let f = check(&w, principal: principal, event: event) { findings.append(f) }
            windows[principal] = w
            if windows.count > c.maxPrincipals { Self.evict(&windows, keep: c.maxPrincipals, cutoff: time - windowMs) }
            return findings
        }
    }

    private func check(_ w: inout QuantumProbeWindow, principal: String, event: Event) -> Finding? {
        let c = configuration
        guard event.timestamp >= w.quietUntil, w.distinctKeys >= c.minDistinctKeys, let oldest = w.oldestTime else { return nil }
        let spanSeconds = max(1.0, Double(w.lastSeen - oldest) / 1000)
        let rate = Double(w.distinctKeys) / spanSeconds
        let n = w.keyspace
        guard CatalogCompare.above(rate, c.probeRatePerSecond),
              !CatalogCompare.above(w.hitRatio, c.maxHitRatio),
              n > 0, n.squareRoot() < c.advantageRatio * n else { return nil }
        w.quietUntil = w.lastSeen + Int64(c.windowSeconds * 1000)
        return Finding(
            detectorID: QuantumGroverConfiguration.detectorID, type: .catalog,
            title: "Key enumeration by \(principal): \(w.distinctKeys) distinct keys, hit ratio \(QuantumStatistic.format(w.hitRatio))",
            severity: .high, confidence: CatalogCompare.confidence(c.findingConfidence),
            indicators: [
                Indicator(name: "principal", value: principal),
                Indicator(name: "distinct_keys", value: String(w.distinctKeys)),
                Indicator(name: "probes", value: String(w.count)),
                Indicator(name: "hit_ratio", value: QuantumStatistic.format(w.hitRatio)),
                Indicator(name: "probe_rate_per_second", value: QuantumStatistic.format(rate)),
                Indicator(name: "keyspace_size", value: QuantumStatistic.format(n)),
                Indicator(name: "keyspace_source", value: w.keyspaceSent ? "sent" : "estimated"),
                Indicator(name: "sqrt_keyspace", value: QuantumStatistic.format(n.squareRoot())),
                Indicator(name: "window_seconds", value: QuantumStatistic.format(c.windowSeconds)),
            ],
            eventIDs: [event.id], entities: Entities(of: event))
    }

    /// Drops principals idle past the window, then the least recently seen, down to 90% of
    /// `keep` so eviction runs rarely rather than on every new principal.
    private static func evict(_ windows: inout [String: QuantumProbeWindow], keep: Int, cutoff: Int64) {
        windows = windows.filter { $0.value.lastSeen >= cutoff }
        guard windows.count > keep else { return }
        let target = max(1, keep * 9 / 10)
        let oldest = windows.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(windows.count - target)
        for (principal, _) in oldest { windows[principal] = nil }
    }
}
