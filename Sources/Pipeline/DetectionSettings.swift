import Detection

/// How detection is set up in one deployment (flags, environment, config file).
public struct DetectionSettings: Sendable {
    /// Sigma rules (and correlation rules), read recursively.
    public var rulesDirectory: String?
    /// Extra catalog definitions beside the built-in ones.
    public var catalogDirectory: String?
    /// Per-detector threshold overrides (defaults: the seed's numbers).
    public var catalogOverrides = CatalogConfiguration(overrides: [:])
    /// Where canary URL tokens point (`<base>/c/<token>`) and the DNS zone of hostname tokens.
    public var canaries = CanaryConfiguration(baseURL: "http://127.0.0.1:8080", domain: "canary.mwrasp.invalid")

    /// EWMA baselines; by default one: events per host per minute, 3 sigmas above its mean.
    public var baselines: [BaselineSpec] = [DetectionSettings.hostEventRate]

    public static let hostEventRate = BaselineSpec(
        id: "BASELINE-HOST-EVENT-RATE", metric: "events_per_minute", entityField: "host.name",
        value: .count(intervalSeconds: 60), threshold: 3, minSamples: 10)

    public init() {}
}
