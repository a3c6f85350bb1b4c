/// The one place that turns indicator text into lookup keys, used both when lists are loaded
/// and when event values are matched, so both sides always agree.
enum IOCNormalizer {
    /// Hash algorithm by digest length.
    static func hashAlgorithm(_ digest: String) -> String {
        switch digest.utf8.count {
        case 32: "md5"
        case 40: "sha1"
        default: "sha256"
        }
    }

    /// Lowercase hex of an MD5, SHA-1 or SHA-256 length; nil otherwise.
    static func hash(_ text: some StringProtocol) -> String? {
        let count = text.utf8.count
        guard count == 32 || count == 40 || count == 64,
              text.utf8.allSatisfy({ IOCAddress.hexValue($0) != nil }) else { return nil }
        // Most feeds and Sysmon (after its own uppercase) differ; skip the copy when already lowercase.
        if !text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }) { return String(text) }
        return text.lowercased()
    }

    /// An address block: the network address (host bits cleared, so `10.1.2.3/8` is
    /// `10.0.0.0/8`) and the prefix length over 128 bits (IPv4 prefixes + 96).
    static func cidr(_ text: some StringProtocol) -> (network: IOCAddress, bits: Int)? {
        guard let slash = text.firstIndex(of: "/"),
              let address = IOCAddress(text[..<slash]),
              let length = Int(text[text.index(after: slash)...]), length >= 0 else { return nil }
        let bits = address.isIPv4 ? length + 96 : length
        guard length <= (address.isIPv4 ? 32 : 128) else { return nil }
        return (address.masked(bits), bits)
    }

    /// Lowercase, without a trailing dot or a leading `*.`; nil unless it has two or more
    /// non-empty labels of letters, digits, `-` and `_` (or non-ASCII, for IDNs as text).
    static func domain(_ text: some StringProtocol) -> String? {
        var name = Substring(text.lowercased())
        if name.hasSuffix(".") { name = name.dropLast() }
        if name.hasPrefix("*.") { name = name.dropFirst(2) }
        guard !name.isEmpty, name.utf8.count <= 253 else { return nil }
        var labels = 0
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63,
                  label.utf8.allSatisfy({ $0 >= 0x80 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                      || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) })
            else { return nil }
            labels += 1
        }
        return labels >= 2 ? String(name) : nil
    }

    /// Scheme and host lowercased, a bare trailing `/` dropped; the path keeps its case.
    static func url(_ text: some StringProtocol) -> String? {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        let rest = text[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let host = rest[..<hostEnd]
        guard !host.isEmpty else { return nil }
        var path = String(rest[hostEnd...])
        if path == "/" { path = "" }
        return scheme.lowercased() + "://" + host.lowercased() + path
    }

    /// The host of a URL (without port or user info), for matching it as a domain or IP.
    static func urlHost(_ text: some StringProtocol) -> Substring? {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let rest = text[schemeEnd.upperBound...]
        var host = rest[..<(rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex)]
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if host.hasPrefix("[") , let close = host.firstIndex(of: "]") { return Substring(host[...close]) }
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        return host.isEmpty ? nil : Substring(host)
    }
}
