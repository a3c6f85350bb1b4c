import MWRASPCore
import Synchronization

/// Runs Sigma correlation rules over the stream of base-rule matches. The Sigma engine calls
/// `observe` once per event with the ids and names of the Sigma rules that event matched;
/// each correlation rule referencing one of them updates the window of the event's group,
/// incrementally (no rescan of history), and reports a finding when its condition holds.
///
/// Group-by: an event lacking one of the group-by fields is not counted for that rule (as a
/// SIEM's `stats ... by` drops rows with a null key), so unrelated events never pile up in an
/// empty group. Times come from `event.timestamp`; see `SigmaCorrelationWindow` for window
/// boundaries, late events and re-arming, `SigmaCorrelationLimits` for memory bounds.
public final class SigmaCorrelationEngine: Sendable {
    public let rules: [SigmaCorrelationRule]
    public let limits: SigmaCorrelationLimits
    /// Base rule reference (name or id as written in `correlation.rules`) -> (rule, index).
    private let references: [String: [(rule: Int, index: Int)]]
    private let groups: Mutex<SigmaCorrelationGroupTable>

    public init(rules: [SigmaCorrelationRule], limits: SigmaCorrelationLimits = SigmaCorrelationLimits()) {
        self.rules = rules
        self.limits = limits
        var references: [String: [(rule: Int, index: Int)]] = [:]
        for (ruleIndex, rule) in rules.enumerated() {
            for (index, reference) in rule.rules.enumerated() {
                references[reference, default: []].append((ruleIndex, index))
            }
        }
        self.references = references
        self.groups = Mutex(SigmaCorrelationGroupTable(maxGroups: limits.maxGroups))
    }

    /// Live (rule, group) windows, for metrics and tests.
    public var groupCount: Int { groups.withLock { $0.count } }

    /// - Parameters:
    ///   - matchedRules: ids and names of the Sigma rules this event matched (both may be
    ///     given; a rule named twice is counted once).
    ///   - field: resolves a Sigma field name for this event (supplied by the Sigma engine, so
    ///     field mappings stay in one place).
    public func observe(matchedRules: [String], input: DetectionInput, field: (String) -> String?) -> [Finding] {
        let observations = collect(matchedRules: matchedRules, input: input, field: field)
        guard !observations.isEmpty else { return [] }
        var findings: [Finding] = []
        groups.withLock { table in
            for (key, observation) in observations {
                let rule = rules[key.rule]
                let window = table.window(key, time: observation.time, span: rule.timespanMilliseconds) { makeWindow(rule) }
                if let firing = window.record(observation) {
                    findings.append(finding(rule, values: key.values, firing: firing, input: input))
                }
            }
        }
        return findings
    }

    /// The (group, observation) pairs of one event, fields resolved before taking the lock.
    private func collect(matchedRules: [String], input: DetectionInput, field: (String) -> String?)
        -> [(SigmaCorrelationGroupTable.Key, SigmaCorrelationObservation)] {
        var hits: [(rule: Int, index: Int)] = []
        for name in matchedRules { if let targets = references[name] { hits.append(contentsOf: targets) } }
        guard !hits.isEmpty else { return [] }
        // Rule order, then descending base-rule index (temporal_ordered relies on it).
        hits.sort { $0.rule != $1.rule ? $0.rule < $1.rule : $0.index > $1.index }

        var out: [(SigmaCorrelationGroupTable.Key, SigmaCorrelationObservation)] = []
        var previous: (rule: Int, index: Int)?
        for hit in hits {
            defer { previous = hit }
            if let previous, previous == hit { continue }
            let rule = rules[hit.rule]
            let reference = rule.rules[hit.index]
            var values: [String] = []
            values.reserveCapacity(rule.groupBy.count)
            for name in rule.groupBy {
                guard let value = field(rule.resolvedField(name, forRule: reference)) else { values = []; break }
                values.append(value)
            }
            if values.count != rule.groupBy.count { continue }
            var value: String?
            if rule.type == .valueCount, let countedField = rule.condition?.field {
                guard let found = field(rule.resolvedField(countedField, forRule: reference)) else { continue }
                value = found
            }
            let key = SigmaCorrelationGroupTable.Key(rule: hit.rule, values: values)
            let observation = SigmaCorrelationObservation(
                time: input.event.timestamp, eventID: input.event.id, ruleIndex: hit.index, value: value)
            // Counting types count an event once per group even if it matched several base rules.
            let counting = rule.type == .eventCount || rule.type == .valueCount
            if counting, out.contains(where: { $0.0 == key && $0.1.value == value }) { continue }
            out.append((key, observation))
        }
        return out
    }

    private func makeWindow(_ rule: SigmaCorrelationRule) -> any SigmaCorrelationWindow {
        let span = rule.timespanMilliseconds
        switch rule.type {
        case .eventCount:
            return SigmaCorrelationEventCountWindow(span: span, condition: rule.condition!, limits: limits)
        case .valueCount:
            return SigmaCorrelationValueCountWindow(span: span, condition: rule.condition!, limits: limits)
        case .temporal:
            return SigmaCorrelationTemporalWindow(span: span, ruleCount: rule.rules.count, condition: rule.condition)
        case .temporalOrdered:
            return SigmaCorrelationOrderedWindow(span: span, ruleCount: rule.rules.count)
        }
    }

    private func finding(_ rule: SigmaCorrelationRule, values: [String], firing: SigmaCorrelationFiring, input: DetectionInput) -> Finding {
        var indicators: [Indicator] = []
        for (name, value) in zip(rule.groupBy, values) { indicators.append(Indicator(name: name, value: value)) }
        switch rule.type {
        case .eventCount:
            indicators.append(Indicator(name: "count", value: String(firing.count)))
        case .valueCount:
            indicators.append(Indicator(name: "field", value: rule.condition?.field ?? ""))
            indicators.append(Indicator(name: "distinct_values", value: String(firing.count)))
        case .temporal, .temporalOrdered:
            indicators.append(Indicator(name: "rules", value: firing.rules.map { rule.rules[$0] }.joined(separator: ",")))
            indicators.append(Indicator(name: "count", value: String(firing.count)))
        }
        // A correlation is inferred from several base matches: strong but not certain.
        return Finding(
            detectorID: rule.detectorID, type: .sigmaCorrelation, title: rule.title, severity: rule.severity,
            confidence: 0.8, indicators: indicators, eventIDs: firing.eventIDs, entities: Entities(of: input.event))
    }
}
