import MWRASPCore

/// One rule that matched one event. `name` is the rule's optional `name`, which correlation
/// rules refer to (besides `id`).
public struct SigmaMatch: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var title: String
    public var severity: Severity
    public var confidence: Double
    /// `Field|modifiers` and the event value behind it, per matched item.
    public var indicators: [Indicator]
}

/// Figures about a compiled set, for load reports and the benchmark.
public struct SigmaRuleSetStats: Sendable, Equatable {
    public var rules: Int
    public var fields: Int
    public var logsources: Int
    /// Distinct prefilter needles over all rules.
    public var needles: Int
    /// Rules without a prefilter: evaluated for every event of their logsource.
    public var unfilteredRules: Int
    /// Logsources seen so far (each has its own automaton).
    public var cachedPlans: Int
}
