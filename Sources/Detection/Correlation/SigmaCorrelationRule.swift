import MWRASPCore

/// One parsed Sigma correlation rule (Sigma specification v2). Immutable: the engine keeps
/// the per-group windows, the rule only says what to count.
public struct SigmaCorrelationRule: Sendable, Equatable {
    public var title: String
    public var id: String?
    public var name: String?
    public var status: String?
    public var description: String?
    /// Sigma `level`, mapped to our severity (`informational` is `info`); `medium` if absent.
    public var severity: Severity
    public var type: SigmaCorrelationType
    /// The base rules, by their `name` or `id`, as written in the document.
    public var rules: [String]
    /// Field names, or alias names declared in `aliases`.
    public var groupBy: [String]
    public var timespanMilliseconds: Int64
    /// Nil only for `temporal`/`temporal_ordered`, which then require every rule.
    public var condition: SigmaCorrelationCondition?
    /// alias -> (base rule reference -> that rule's field name).
    public var aliases: [String: [String: String]]
    /// Sigma `generate`: whether the base rules' own matches should also be reported. The
    /// Sigma engine reads it; the correlation engine only carries it.
    public var generate: Bool
    /// Where the rule came from, for messages.
    public var origin: String

    /// The finding's detectorID: the rule's `id`, else its `name`, else where it came from.
    public var detectorID: String { id ?? name ?? origin }

    /// The field to read for `field` (a group-by entry or the value_count field) on an event
    /// that matched base rule `ruleReference`: the alias's per-rule field when `field` is an
    /// alias, else the field itself.
    public func resolvedField(_ field: String, forRule ruleReference: String) -> String {
        aliases[field]?[ruleReference] ?? field
    }

    public static func parse(yaml: String, origin: String) throws(SigmaCorrelationError) -> SigmaCorrelationRule {
        try SigmaCorrelationRuleParser(origin: origin).parse(yaml)
    }
}
