/// What an indicator of compromise is. Hash algorithms are told apart by length (32, 40, 64
/// hex digits), not stored separately: a digest of one length can only be one of them.
public enum IOCKind: String, Sendable, Codable, CaseIterable {
    /// One IPv4 or IPv6 address.
    case ip
    /// An address block, `10.0.0.0/8`, `2001:db8::/32`.
    case cidr
    /// A domain and all its subdomains (`evil.com` also matches `a.b.evil.com`).
    case domain
    /// An MD5, SHA-1 or SHA-256 digest in hex.
    case hash
    /// A full URL, matched exactly after normalizing scheme and host case.
    case url

    /// The kind a bare value most plausibly is, for lists uploaded without kinds; nil when it
    /// is none of them.
    public static func detect(_ value: String) -> IOCKind? {
        let text = value.trimmingWhitespace
        if IOCAddress(text) != nil { return .ip }
        if IOCNormalizer.cidr(text) != nil { return .cidr }
        if IOCNormalizer.hash(text) != nil { return .hash }
        if text.contains("://") { return IOCNormalizer.url(text) != nil ? .url : nil }
        if IOCNormalizer.domain(text) != nil { return .domain }
        return nil
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
