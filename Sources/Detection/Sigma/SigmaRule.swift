import MWRASPCore

/// One parsed and compiled Sigma rule. Immutable; the matching structures are internal and
/// linked to field slots when a `SigmaRuleSet` is built.
public struct SigmaRule: Sendable {
    public let id: String
    /// `name`, the handle correlation rules use to refer to this rule.
    public let name: String?
    public let title: String
    /// `status`: stable, test, experimental, deprecated, unsupported (lowercased), if given.
    public let status: String?
    /// `level` as written (lowercased): informational, low, medium, high, critical.
    public let level: String?
    public let logsource: SigmaLogsource
    public let tags: [String]
    /// The file (or `request`) it was read from.
    public let origin: String
    /// The rule's own YAML document, verbatim (for GET /v1/rules/{id}).
    public let yaml: String

    var detection: SigmaDetection

    /// `level` as our severity; medium when absent or unknown.
    public var severity: Severity {
        switch level {
        case "informational"?: .info
        case "low"?: .low
        case "high"?: .high
        case "critical"?: .critical
        default: .medium
        }
    }

    /// How far to trust a hit, from what the rule says of itself: its `status` says how well
    /// it has been tested against real traffic (stable 0.9, test 0.8, experimental 0.7,
    /// none given 0.6, deprecated/unsupported 0.5), nudged by `level`, whose authors lower it
    /// for noisy rules (critical +0.05, high 0, medium -0.05, low -0.1, informational -0.2).
    /// Clamped to 0.1...1.
    public var confidence: Double {
        let base: Double
        switch status {
        case "stable"?: base = 0.9
        case "test"?: base = 0.8
        case "experimental"?: base = 0.7
        case "deprecated"?, "unsupported"?: base = 0.5
        default: base = 0.6
        }
        let nudge: Double
        switch level {
        case "critical"?: nudge = 0.05
        case "high"?: nudge = 0
        case "low"?: nudge = -0.1
        case "informational"?: nudge = -0.2
        default: nudge = -0.05
        }
        return min(1, max(0.1, ((base + nudge) * 100).rounded() / 100))
    }
}
