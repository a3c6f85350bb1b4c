/// One YAML document of a Sigma file, as the parser hands it back. Correlation documents
/// (a top-level `correlation:` key) are not compiled here: the correlation engine parses them,
/// so they come back as their raw YAML text and where they came from.
public enum SigmaDocument: Sendable {
    case rule(SigmaRule)
    case correlation(yaml: String, origin: String)
}

/// A rule's `logsource`: the fields it gives, lowercased; nil means "any".
public struct SigmaLogsource: Sendable, Equatable, Hashable {
    public var product: String?
    public var category: String?
    public var service: String?

    public init(product: String? = nil, category: String? = nil, service: String? = nil) {
        self.product = product
        self.category = category
        self.service = service
    }
}
