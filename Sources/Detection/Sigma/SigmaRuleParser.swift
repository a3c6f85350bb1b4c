import Yams

/// Options for compiling rules.
public struct SigmaParseOptions: Sendable {
    /// Values for `|expand` placeholders (`known_cdcs` -> ["dc01", "10.0.0.5"]). A placeholder
    /// without values matches nothing, so a filter built on it excludes nothing.
    public var placeholders: [String: [String]]

    public init(placeholders: [String: [String]] = [:]) {
        self.placeholders = placeholders
    }
}

/// Reads Sigma YAML (one file or one request body, possibly several `---` documents) into
/// compiled rules and raw correlation documents.
public enum SigmaRuleParser {
    /// Every document of `yaml`, in order. Throws on the first document that is not a
    /// valid rule (the error names the document, the path inside it and the reason):
    /// a file is loaded whole or not at all. Legacy `action: global/reset/repeat` documents
    /// and Sigma filter documents (`filter:`) are refused with their own reason keys.
    public static func parse(yaml: String, origin: String, options: SigmaParseOptions = SigmaParseOptions()) throws(SigmaRuleError) -> [SigmaDocument] {
        let chunks = SigmaYAMLSplitter.documents(yaml)
        var documents: [SigmaDocument] = []
        for (index, chunk) in chunks.enumerated() {
            let place = chunks.count > 1 ? "document \(index + 1)" : ""
            do {
                if let document = try document(chunk, origin: origin, options: options) { documents.append(document) }
            } catch var error {
                error.origin = origin
                if !place.isEmpty { error.path = error.path.isEmpty ? place : "\(place): \(error.path)" }
                throw error
            }
        }
        if documents.isEmpty { throw SigmaRuleError(origin: origin, path: "", reason: "no YAML document", key: "empty") }
        return documents
    }

    private static func document(_ text: String, origin: String, options: SigmaParseOptions) throws(SigmaRuleError) -> SigmaDocument? {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw SigmaRuleError(path: "", reason: "invalid YAML: \(error)", key: "invalid_yaml")
        }
        guard let root else { return nil }
        guard let map = root.mapping else { throw SigmaRuleError(path: "", reason: "a Sigma document must be a mapping", key: "invalid_structure") }
        if map["correlation"] != nil { return .correlation(yaml: text, origin: origin) }
        if let action = map["action"]?.string {
            throw SigmaRuleError(path: "action", reason: "'action: \(action)' multi-document rules (Sigma 1.0 collections) are not supported; write each rule in full", key: "unsupported_action")
        }
        if map["filter"] != nil && map["detection"] == nil {
            throw SigmaRuleError(path: "filter", reason: "Sigma filter documents (meta filters applied to other rules) are not supported; add the exclusion to the rules themselves", key: "unsupported_filter")
        }
        return .rule(try rule(map, yaml: text, origin: origin, options: options))
    }

    private static func rule(_ map: Node.Mapping, yaml: String, origin: String, options: SigmaParseOptions) throws(SigmaRuleError) -> SigmaRule {
        func required(_ key: String) throws(SigmaRuleError) -> String {
            guard let node = map[key] else { throw SigmaRuleError(path: key, reason: "missing '\(key)'", key: "missing_field") }
            guard let text = node.scalar?.string, !text.isEmpty else {
                throw SigmaRuleError(path: key, reason: "'\(key)' must be a non-empty string", key: "invalid_field")
            }
            return text
        }
        let title = try required("title")
        let id = try required("id")
        guard let logsourceNode = map["logsource"] else { throw SigmaRuleError(path: "logsource", reason: "missing 'logsource'", key: "missing_field") }
        guard let logsourceMap = logsourceNode.mapping else { throw SigmaRuleError(path: "logsource", reason: "'logsource' must be a mapping", key: "invalid_field") }
        func logsourceField(_ key: String) -> String? {
            logsourceMap[key]?.scalar?.string.lowercased()
        }
        let logsource = SigmaLogsource(product: logsourceField("product"), category: logsourceField("category"), service: logsourceField("service"))
        guard let detectionNode = map["detection"] else { throw SigmaRuleError(path: "detection", reason: "missing 'detection'", key: "missing_field") }
        let compiler = SigmaValueCompiler(placeholders: options.placeholders)
        let detection = try SigmaDetectionParser(compiler: compiler).parse(detectionNode)
        return SigmaRule(
            id: id, name: map["name"]?.scalar?.string, title: title,
            status: map["status"]?.scalar?.string.lowercased(), level: map["level"]?.scalar?.string.lowercased(),
            logsource: logsource, tags: map["tags"]?.sequence?.compactMap { $0.scalar?.string } ?? [],
            origin: origin, yaml: yaml, detection: detection)
    }
}
