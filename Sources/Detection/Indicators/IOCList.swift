import MWRASPCore

/// One indicator in a list. `kind` may be left out on upload and detected from the value
/// (`IOCKind.detect`); `severity` defaults to high when the finding is made.
public struct IOCEntry: Sendable, Equatable, Codable {
    public var value: String
    public var kind: IOCKind
    public var description: String?
    public var severity: Severity?

    public init(value: String, kind: IOCKind, description: String? = nil, severity: Severity? = nil) {
        self.value = value
        self.kind = kind
        self.description = description
        self.severity = severity
    }

    /// An entry whose kind is detected from the value; nil when the value is no known kind.
    public init?(value: String, description: String? = nil, severity: Severity? = nil) {
        guard let kind = IOCKind.detect(value) else { return nil }
        self.init(value: value.trimmingWhitespace, kind: kind, description: description, severity: severity)
    }

    /// Nil when the value is a valid indicator of its kind, else why not (for the API's 422).
    public var problem: String? {
        let text = value.trimmingWhitespace
        switch kind {
        case .ip: return IOCAddress(text) == nil ? "'\(value)' is not an IPv4 or IPv6 address" : nil
        case .cidr: return IOCNormalizer.cidr(text) == nil ? "'\(value)' is not an address block like 10.0.0.0/8" : nil
        case .domain: return IOCNormalizer.domain(text) == nil ? "'\(value)' is not a domain name" : nil
        case .hash: return IOCNormalizer.hash(text) == nil ? "'\(value)' is not an MD5, SHA-1 or SHA-256 hex digest" : nil
        case .url: return IOCNormalizer.url(text) == nil ? "'\(value)' is not a URL with a scheme and host" : nil
        }
    }
}

/// A named list of indicators, managed over the API (a feed, a case's indicators...).
public struct IOCList: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var entries: [IOCEntry]

    public init(id: String, name: String, entries: [IOCEntry]) {
        self.id = id
        self.name = name
        self.entries = entries
    }
}

/// Which list entry an observed value matched.
public struct IOCMatch: Sendable, Equatable, Hashable {
    public var kind: IOCKind
    /// The entry's value, normalized (`evil.com`, `10.0.0.0/8`, lowercase hex).
    public var indicator: String
    public var listID: String
    public var listName: String
    public var severity: Severity?
    public var description: String?
}

/// An entry left out of a matcher because its value is not valid for its kind.
public struct IOCRejectedEntry: Sendable, Equatable {
    public var listID: String
    public var value: String
    public var reason: String
}
