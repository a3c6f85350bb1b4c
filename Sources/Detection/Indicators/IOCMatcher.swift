/// An immutable snapshot of every IOC list, indexed for lookups whose cost does not grow with
/// the lists: hash tables for addresses, digests and URLs, per-prefix-length tables for
/// CIDRs, and a domain table probed once per label of the observed name (`a.b.evil.com`,
/// `b.evil.com`, `evil.com`, `com`). Rebuilt whole when a list changes (100k entries build in
/// well under a second) and swapped into the detector, so matching takes no lock.
public final class IOCMatcher: Sendable {
    private let addresses: [IOCAddress: [IOCMatch]]
    private let blocks: IOCPrefixTable
    /// Keys are whole normalized names; Substring keys let the parent walk probe suffixes of
    /// the observed name without allocating.
    private let domains: [Substring: [IOCMatch]]
    private let hashes: [String: [IOCMatch]]
    private let urls: [String: [IOCMatch]]
    /// Entries left out (invalid for their kind), for the API to report.
    public let rejected: [IOCRejectedEntry]
    /// Entries indexed.
    public let entryCount: Int

    public convenience init() { self.init(lists: []) }

    public init(lists: [IOCList]) {
        var addresses: [IOCAddress: [IOCMatch]] = [:]
        var blocks = IOCPrefixTable()
        var domains: [Substring: [IOCMatch]] = [:]
        var hashes: [String: [IOCMatch]] = [:]
        var urls: [String: [IOCMatch]] = [:]
        var rejected: [IOCRejectedEntry] = []
        var count = 0
        for list in lists {
            for entry in list.entries {
                let text = entry.value.trimmingWhitespace
                func match(_ indicator: String) -> IOCMatch {
                    IOCMatch(kind: entry.kind, indicator: indicator, listID: list.id, listName: list.name,
                             severity: entry.severity, description: entry.description)
                }
                var indexed = true
                switch entry.kind {
                case .ip:
                    if let address = IOCAddress(text) { addresses[address, default: []].append(match(address.description)) } else { indexed = false }
                case .cidr:
                    if let (network, bits) = IOCNormalizer.cidr(text) {
                        let length = network.isIPv4 ? bits - 96 : bits
                        blocks.insert(network: network, bits: bits, match: match("\(network)/\(length)"))
                    } else { indexed = false }
                case .domain:
                    if let name = IOCNormalizer.domain(text) { domains[Substring(name), default: []].append(match(name)) } else { indexed = false }
                case .hash:
                    if let digest = IOCNormalizer.hash(text) { hashes[digest, default: []].append(match(digest)) } else { indexed = false }
                case .url:
                    if let url = IOCNormalizer.url(text) { urls[url, default: []].append(match(url)) } else { indexed = false }
                }
                if indexed {
                    count += 1
                } else {
                    rejected.append(IOCRejectedEntry(listID: list.id, value: entry.value, reason: entry.problem ?? "invalid"))
                }
            }
        }
        self.addresses = addresses
        self.blocks = blocks
        self.domains = domains
        self.hashes = hashes
        self.urls = urls
        self.rejected = rejected
        self.entryCount = count
    }

    public var isEmpty: Bool { entryCount == 0 }

    /// Entries for an observed IP address: the exact address and every block containing it.
    public func matchIP(_ text: String, into out: inout [IOCMatch]) {
        guard let address = IOCAddress(text) else { return }
        matchIP(address, into: &out)
    }

    public func matchIP(_ address: IOCAddress, into out: inout [IOCMatch]) {
        if let found = addresses[address] { out.append(contentsOf: found) }
        if !blocks.isEmpty { blocks.matches(address, into: &out) }
    }

    /// Entries for an observed domain: the name itself and each parent, label by label
    /// (case-insensitive, trailing dot ignored), so `notevil.com` never matches `evil.com`.
    public func matchDomain(_ text: String, into out: inout [IOCMatch]) {
        guard !domains.isEmpty, !text.isEmpty else { return }
        var name = Substring(text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? text.lowercased() : text)
        if name.hasSuffix(".") { name = name.dropLast() }
        while !name.isEmpty {
            if let found = domains[name] { out.append(contentsOf: found) }
            guard let dot = name.firstIndex(of: ".") else { break }
            name = name[name.index(after: dot)...]
        }
    }

    /// Entries for an observed MD5/SHA-1/SHA-256 hex digest (any case).
    public func matchHash(_ text: String, into out: inout [IOCMatch]) {
        guard !hashes.isEmpty, let digest = IOCNormalizer.hash(text) else { return }
        if let found = hashes[digest] { out.append(contentsOf: found) }
    }

    /// Entries for an observed URL: the exact URL, and its host as a domain or address.
    public func matchURL(_ text: String, into out: inout [IOCMatch]) {
        if !urls.isEmpty, let url = IOCNormalizer.url(text), let found = urls[url] { out.append(contentsOf: found) }
        guard let host = IOCNormalizer.urlHost(text) else { return }
        if let address = IOCAddress(host) { matchIP(address, into: &out) } else { matchDomain(String(host), into: &out) }
    }
}
