import Yams

/// Reads the `detection` mapping: every key but `condition` and `timeframe` is a named
/// selection; `condition` is one string or a list of them (OR-ed). Keyword lists search
/// every value of the record as substrings (full-text search, as SIEM backends run them).
struct SigmaDetectionParser {
    let compiler: SigmaValueCompiler

    func parse(_ node: Node) throws(SigmaRuleError) -> SigmaDetection {
        guard let map = node.mapping else {
            throw SigmaRuleError(path: "detection", reason: "'detection' must be a mapping", key: "invalid_structure")
        }
        var names: [String] = []
        var selections: [SigmaSelection] = []
        var conditionNode: Node?
        for (keyNode, value) in map {
            guard let key = keyNode.scalar?.string else { continue }
            switch key {
            case "condition": conditionNode = value
            case "timeframe": continue
            default:
                names.append(key)
                selections.append(try selection(value, path: "detection.\(key)"))
            }
        }
        guard let conditionNode else {
            throw SigmaRuleError(path: "detection.condition", reason: "missing 'condition'", key: "missing_field")
        }
        var texts: [(String, String)] = []
        if let text = conditionNode.scalar?.string {
            texts = [(text, "detection.condition")]
        } else if let list = conditionNode.sequence {
            for (i, item) in list.enumerated() {
                guard let text = item.scalar?.string else {
                    throw SigmaRuleError(path: "detection.condition[\(i)]", reason: "a condition must be a string", key: "invalid_condition")
                }
                texts.append((text, "detection.condition[\(i)]"))
            }
        }
        guard !texts.isEmpty else {
            throw SigmaRuleError(path: "detection.condition", reason: "'condition' must be a string or a list of strings", key: "invalid_condition")
        }
        var conditions: [SigmaCondition] = []
        for (text, path) in texts {
            var parser = SigmaConditionParser(names: names, path: path)
            conditions.append(try parser.parse(text))
        }
        return SigmaDetection(selectionNames: names, selections: selections,
                              condition: conditions.count == 1 ? conditions[0] : .or(conditions))
    }

    private func selection(_ node: Node, path: String) throws(SigmaRuleError) -> SigmaSelection {
        if let map = node.mapping {
            guard !map.isEmpty else { throw SigmaRuleError(path: path, reason: "empty selection", key: "invalid_structure") }
            var items: [SigmaFieldItem] = []
            for (keyNode, value) in map {
                let key = keyNode.scalar?.string ?? ""
                items.append(try item(key: key, value, path: "\(path).\(key)"))
            }
            return .all(items)
        }
        if let list = node.sequence {
            guard list.count > 0 else { throw SigmaRuleError(path: path, reason: "empty selection", key: "invalid_structure") }
            var keywords: [SigmaScalar] = []
            var alternatives: [SigmaSelection] = []
            for (i, element) in list.enumerated() {
                if let scalar = scalarValue(element) {
                    keywords.append(scalar)
                } else if element.mapping != nil {
                    alternatives.append(try selection(element, path: "\(path)[\(i)]"))
                } else {
                    throw SigmaRuleError(path: "\(path)[\(i)]", reason: "a selection list holds values or mappings, not nested lists", key: "invalid_structure")
                }
            }
            if !keywords.isEmpty {
                alternatives.append(.all([try compiler.item(key: "keywords", field: nil, modifierNames: ["contains"], values: keywords, path: path)]))
            }
            return alternatives.count == 1 ? alternatives[0] : .any(alternatives)
        }
        if let scalar = scalarValue(node) {
            return .all([try compiler.item(key: "keywords", field: nil, modifierNames: ["contains"], values: [scalar], path: path)])
        }
        throw SigmaRuleError(path: path, reason: "unsupported selection shape", key: "invalid_structure")
    }

    private func item(key: String, _ value: Node, path: String) throws(SigmaRuleError) -> SigmaFieldItem {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false)
        let field = parts[0].isEmpty ? nil : String(parts[0])
        var values: [SigmaScalar] = []
        if let list = value.sequence {
            for (i, element) in list.enumerated() {
                guard let scalar = scalarValue(element) else {
                    throw SigmaRuleError(path: "\(path)[\(i)]", reason: "a field's values must be scalars", key: "invalid_structure")
                }
                values.append(scalar)
            }
        } else if let scalar = scalarValue(value) {
            values = [scalar]
        } else {
            throw SigmaRuleError(path: path, reason: "a field's value must be a scalar or a list of scalars", key: "invalid_structure")
        }
        return try compiler.item(key: key, field: field, modifierNames: Array(parts.dropFirst()), values: values, path: path)
    }

    /// Plain `~`, `null` or nothing is YAML null; every other scalar keeps its text as
    /// written (numbers compare as their text, as SIEM backends do).
    private func scalarValue(_ node: Node) -> SigmaScalar? {
        guard let scalar = node.scalar else { return nil }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
        return .text(scalar.string)
    }
}
