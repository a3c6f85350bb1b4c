import MWRASPCore
import Yams

/// Reads one correlation document with Yams' node API (not Codable) so every refusal can
/// name the key at fault: `correlation.timespan: '5x' is not a duration`.
struct SigmaCorrelationRuleParser {
    let origin: String

    private func fail(_ path: String, _ reason: String) -> SigmaCorrelationError {
        SigmaCorrelationError(origin: origin, path: path, reason: reason)
    }

    func parse(_ yaml: String) throws(SigmaCorrelationError) -> SigmaCorrelationRule {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw fail("", "not valid YAML: \(error)") }
        guard let top = root?.mapping else { throw fail("", "the document must be a mapping") }

        let title = try requiredString(top, "title", path: "title")
        guard let correlationNode = top["correlation"] else { throw fail("correlation", "missing; this is not a correlation rule") }
        guard let correlation = correlationNode.mapping else { throw fail("correlation", "must be a mapping") }

        let typeText = try requiredString(correlation, "type", path: "correlation.type")
        guard let type = SigmaCorrelationType(rawValue: typeText) else {
            let known = SigmaCorrelationType.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail("correlation.type", "'\(typeText)' is not one of \(known)")
        }
        let rules = try stringList(correlation, "rules", path: "correlation.rules")
        guard !rules.isEmpty else { throw fail("correlation.rules", "must name at least one rule") }
        if (type == .temporal || type == .temporalOrdered) && rules.count < 2 {
            throw fail("correlation.rules", "\(typeText) needs at least two rules")
        }
        let groupBy = try stringList(correlation, "group-by", path: "correlation.group-by", optional: true)

        let spanText = try requiredString(correlation, "timespan", path: "correlation.timespan")
        guard let span = SigmaCorrelationTimespan.milliseconds(spanText) else {
            throw fail("correlation.timespan", "'\(spanText)' is not a duration (a positive number then s, m, h, d or w)")
        }
        let aliases = try parseAliases(correlation, rules: rules)
        let condition = try parseCondition(correlation, type: type)

        var generate = false
        if let node = correlation["generate"] {
            guard let value = node.bool else { throw fail("correlation.generate", "must be true or false") }
            generate = value
        }
        var severity = Severity.medium
        if let levelText = try optionalString(top, "level", path: "level") {
            guard let level = Severity(vendor: levelText) else { throw fail("level", "'\(levelText)' is not a Sigma level") }
            severity = level
        }
        return SigmaCorrelationRule(
            title: title, id: try optionalString(top, "id", path: "id"), name: try optionalString(top, "name", path: "name"),
            status: try optionalString(top, "status", path: "status"),
            description: try optionalString(top, "description", path: "description"),
            severity: severity, type: type, rules: rules, groupBy: groupBy, timespanMilliseconds: span,
            condition: condition, aliases: aliases, generate: generate, origin: origin)
    }

    private func parseCondition(_ correlation: Node.Mapping, type: SigmaCorrelationType) throws(SigmaCorrelationError) -> SigmaCorrelationCondition? {
        guard let node = correlation["condition"] else {
            if type == .temporal || type == .temporalOrdered { return nil }
            throw fail("correlation.condition", "missing; \(type.rawValue) needs one (e.g. gte: 10)")
        }
        if type == .temporalOrdered {
            throw fail("correlation.condition", "temporal_ordered takes no condition: every rule must match, in order")
        }
        guard let mapping = node.mapping else { throw fail("correlation.condition", "must be a mapping like {gte: 10}") }
        var found: (SigmaCorrelationCondition.Operator, Int)?
        var field: String?
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else { throw fail("correlation.condition", "keys must be words") }
            if key == "field" {
                guard let text = valueNode.scalar?.string, !text.isEmpty else {
                    throw fail("correlation.condition.field", "must be a field name")
                }
                field = text
                continue
            }
            guard let op = SigmaCorrelationCondition.Operator(rawValue: key) else {
                throw fail("correlation.condition.\(key)", "unknown operator (gt, gte, lt, lte, eq, neq)")
            }
            guard let value = valueNode.int, value >= 0 else {
                throw fail("correlation.condition.\(key)", "'\(valueNode.string ?? "?")' is not a non-negative integer")
            }
            if found != nil { throw fail("correlation.condition", "only one comparison is supported") }
            found = (op, value)
        }
        guard let (op, threshold) = found else { throw fail("correlation.condition", "needs a comparison (gt, gte, lt, lte, eq, neq)") }
        if type == .valueCount && field == nil {
            throw fail("correlation.condition.field", "missing; value_count counts the distinct values of a field")
        }
        if type != .valueCount && field != nil {
            throw fail("correlation.condition.field", "only value_count takes a field")
        }
        return SigmaCorrelationCondition(op: op, threshold: threshold, field: field)
    }

    private func parseAliases(_ correlation: Node.Mapping, rules: [String]) throws(SigmaCorrelationError) -> [String: [String: String]] {
        guard let node = correlation["aliases"] else { return [:] }
        guard let mapping = node.mapping else { throw fail("correlation.aliases", "must be a mapping of alias to {rule: field}") }
        var aliases: [String: [String: String]] = [:]
        for (aliasNode, perRuleNode) in mapping {
            guard let alias = aliasNode.scalar?.string else { throw fail("correlation.aliases", "alias names must be strings") }
            let path = "correlation.aliases.\(alias)"
            guard let perRule = perRuleNode.mapping else { throw fail(path, "must map rule names to field names") }
            var fields: [String: String] = [:]
            for (ruleNode, fieldNode) in perRule {
                guard let rule = ruleNode.scalar?.string, let field = fieldNode.scalar?.string, !field.isEmpty else {
                    throw fail(path, "entries must be rule: field")
                }
                guard rules.contains(rule) else { throw fail("\(path).\(rule)", "not one of correlation.rules") }
                fields[rule] = field
            }
            aliases[alias] = fields
        }
        return aliases
    }

    private func requiredString(_ mapping: Node.Mapping, _ key: String, path: String) throws(SigmaCorrelationError) -> String {
        guard let text = try optionalString(mapping, key, path: path) else { throw fail(path, "missing") }
        guard !text.isEmpty else { throw fail(path, "must not be empty") }
        return text
    }

    private func optionalString(_ mapping: Node.Mapping, _ key: String, path: String) throws(SigmaCorrelationError) -> String? {
        guard let node = mapping[key] else { return nil }
        guard let scalar = node.scalar else { throw fail(path, "must be a single value") }
        return scalar.string
    }

    /// A list of strings; a single string is accepted as a one-element list, as Sigma tools do.
    private func stringList(_ mapping: Node.Mapping, _ key: String, path: String, optional: Bool = false) throws(SigmaCorrelationError) -> [String] {
        guard let node = mapping[key] else {
            if optional { return [] }
            throw fail(path, "missing")
        }
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else { throw fail(path, "must be a list of names") }
        var out: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = item.scalar?.string, !text.isEmpty else { throw fail("\(path)[\(index)]", "must be a name") }
            out.append(text)
        }
        return out
    }
}
