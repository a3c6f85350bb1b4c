/// QTD-002's numbers. The seed gives only the advantage test (sqrt(N) < 0.1·N); the window,
/// rate, distinct-key and hit-ratio thresholds are MWRASP's defaults, documented in
/// `Definitions/QTD-002.yaml` and overridable like the seed's.
public struct QuantumGroverConfiguration: Sendable, Equatable {
    public static let detectorID = "QTD-002"

    /// Seed: a quadratic-speedup search is a threat when sqrt(N) < advantageRatio · N.
    public var advantageRatio = 0.1
    /// Sliding window per principal, in seconds.
    public var windowSeconds = 60.0
    /// At least this many distinct keys probed in the window.
    public var minDistinctKeys = 50
    /// Fires when distinct keys per second, over the span the window's probes cover (at least
    /// 1 s), exceed this.
    public var probeRatePerSecond = 1.0
    /// Oracle-style probing is mostly misses: hit ratio <= this.
    public var maxHitRatio = 0.1
    /// Bounds: probes remembered per principal, principals tracked.
    public var maxProbesPerPrincipal = 4096
    public var maxPrincipals = 10_000
    /// A heuristic detector: the confidence its findings carry.
    public var findingConfidence = 0.75

    public init() {}

    public init(_ t: CatalogThresholds) {
        advantageRatio = t.value("advantage_ratio", default: advantageRatio)
        windowSeconds = t.value("window_seconds", default: windowSeconds)
        minDistinctKeys = Int(t.value("min_distinct_keys", default: Double(minDistinctKeys)))
        probeRatePerSecond = t.value("probe_rate_per_second", default: probeRatePerSecond)
        maxHitRatio = t.value("max_hit_ratio", default: maxHitRatio)
        maxProbesPerPrincipal = max(1, Int(t.value("max_probes_per_principal", default: Double(maxProbesPerPrincipal))))
        maxPrincipals = max(1, Int(t.value("max_principals", default: Double(maxPrincipals))))
        findingConfidence = t.value("finding_confidence", default: findingConfidence)
    }
}
