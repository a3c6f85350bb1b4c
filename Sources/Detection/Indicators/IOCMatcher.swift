/// An immutable snapshot of every IOC list, indexed for lookups whose cost does not grow with
/// the lists: hash tables for addresses, digests and URLs, per-prefix-length tables for
/// CIDRs, and a domain table probed once per label of the observed name (`a.b.evil.com`,
/// `b.evil.com`, `evil.com`). Rebuilt whole when a list changes (100k entries build in
/// well under a second) and swapped into the detector, so matching takes no lock.
///
/// The hot lookups work on UTF-8 bytes (the detector hands over slices of the event's JSON
/// tape) and never build a String: addresses are parsed straight into their 16-byte form and
/// looked up in an `IOCHashTable`; digests are decoded from hex into binary words (the first
/// 16 bytes are the key, the rest is compared on a hit), so any case matches; domain
/// suffixes are hashed right to left over their ASCII-lowercased bytes in one pass (FNV-1a),
/// every suffix's hash falling out on the way, and compared byte for byte on a hit. Only
/// observed names with non-ASCII bytes (IDNs as text) and URLs take the String path.
public final class IOCMatcher: Sendable {
    private let addresses: IOCHashTable
    private let addressLists: [[IOCMatch]]
    private let blocks: IOCPrefixTable
    /// Keyed by (suffix hash, length); payload indexes `domainStarts`/`domainLists`.
    private let domains: IOCHashTable
    /// Every indexed (normalized) name's bytes, back to back: name `i` is
    /// `domainBytes[domainStarts[i]..<domainStarts[i + 1]]`.
    private let domainBytes: [UInt8]
    private let domainStarts: [Int32]
    private let domainLists: [[IOCMatch]]
    private let longestDomain: Int
    /// The same names as Strings, for observed names that are not plain ASCII (compared with
    /// String equality, as before).
    private let domainsByName: [Substring: Int32]
    /// One table per digest size (MD5, SHA-1, SHA-256), keyed by the first 16 bytes; the
    /// payload indexes `hashTails` (the digest's remaining bytes as two words) and `hashLists`.
    private let md5Table: IOCHashTable
    private let sha1Table: IOCHashTable
    private let sha256Table: IOCHashTable
    private let hashTails: [(UInt64, UInt64)]
    private let hashLists: [[IOCMatch]]
    private let urls: [String: [IOCMatch]]
    /// Entries left out (invalid for their kind), for the API to report.
    public let rejected: [IOCRejectedEntry]
    /// Entries indexed.
    public let entryCount: Int

    public convenience init() { self.init(lists: []) }

    public init(lists: [IOCList]) {
        var addressIndex: [IOCAddress: Int] = [:]
        var addressLists: [[IOCMatch]] = []
        var blocks = IOCPrefixTable()
        var domainIndex: [Substring: Int32] = [:]
        var domainNames: [String] = []
        var domainLists: [[IOCMatch]] = []
        var hashIndex: [String: Int] = [:]
        var hashDigests: [Digest] = []
        var hashLists: [[IOCMatch]] = []
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
                    if let address = IOCAddress(text) {
                        if let i = addressIndex[address] { addressLists[i].append(match(address.description)) } else {
                            addressIndex[address] = addressLists.count
                            addressLists.append([match(address.description)])
                        }
                    } else { indexed = false }
                case .cidr:
                    if let (network, bits) = IOCNormalizer.cidr(text) {
                        let length = network.isIPv4 ? bits - 96 : bits
                        blocks.insert(network: network, bits: bits, match: match("\(network)/\(length)"))
                    } else { indexed = false }
                case .domain:
                    if let name = IOCNormalizer.domain(text) {
                        if let i = domainIndex[Substring(name)] { domainLists[Int(i)].append(match(name)) } else {
                            domainIndex[Substring(name)] = Int32(domainLists.count)
                            domainNames.append(name)
                            domainLists.append([match(name)])
                        }
                    } else { indexed = false }
                case .hash:
                    if let digest = IOCNormalizer.hash(text), let binary = Array(digest.utf8).withUnsafeBufferPointer({ Digest($0) }) {
                        if let i = hashIndex[digest] { hashLists[i].append(match(digest)) } else {
                            hashIndex[digest] = hashLists.count
                            hashDigests.append(binary)
                            hashLists.append([match(digest)])
                        }
                    } else { indexed = false }
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
        var addresses = IOCHashTable.Builder()
        for (address, i) in addressIndex { addresses.insert(high: address.high, low: address.low, value: Int32(i)) }
        blocks.finish()

        var domains = IOCHashTable.Builder()
        var domainBytes: [UInt8] = []
        var domainStarts: [Int32] = [0]
        var longest = 0
        for (i, name) in domainNames.enumerated() {
            let bytes = Array(name.utf8)
            let h = bytes.withUnsafeBufferPointer { Self.suffixHash($0, from: 0, seed: Self.fnvBasis) }
            domains.insert(high: h, low: UInt64(bytes.count), value: Int32(i))
            domainBytes += bytes
            domainStarts.append(Int32(domainBytes.count))
            longest = max(longest, bytes.count)
        }

        var hashTables = [IOCHashTable.Builder(), IOCHashTable.Builder(), IOCHashTable.Builder()]
        var hashTails: [(UInt64, UInt64)] = []
        for (i, digest) in hashDigests.enumerated() {
            hashTables[digest.table].insert(high: digest.w0, low: digest.w1, value: Int32(i))
            hashTails.append((digest.w2, digest.w3))
        }

        self.addresses = addresses.build()
        self.addressLists = addressLists
        self.blocks = blocks
        self.domains = domains.build()
        self.domainBytes = domainBytes
        self.domainStarts = domainStarts
        self.domainLists = domainLists
        self.longestDomain = longest
        self.domainsByName = domainIndex
        self.md5Table = hashTables[0].build()
        self.sha1Table = hashTables[1].build()
        self.sha256Table = hashTables[2].build()
        self.hashTails = hashTails
        self.hashLists = hashLists
        self.urls = urls
        self.rejected = rejected
        self.entryCount = count
    }

    public var isEmpty: Bool { entryCount == 0 }

    // MARK: - Public String forms (the byte forms below do the work)

    /// Entries for an observed IP address: the exact address and every block containing it.
    public func matchIP(_ text: String, into out: inout [IOCMatch]) {
        Self.withBytes(text) { matchIP(bytes: $0, into: &out) }
    }

    public func matchIP(_ address: IOCAddress, into out: inout [IOCMatch]) {
        if !addresses.isEmpty {
            let found = addresses.first(high: address.high, low: address.low)
            if found >= 0 { out.append(contentsOf: addressLists[Int(found)]) }
        }
        if !blocks.isEmpty { blocks.matches(address, into: &out) }
    }

    /// Entries for an observed domain: the name itself and each parent, label by label
    /// (case-insensitive, trailing dot ignored), so `notevil.com` never matches `evil.com`.
    public func matchDomain(_ text: String, into out: inout [IOCMatch]) {
        Self.withBytes(text) { matchDomain(bytes: $0, into: &out) }
    }

    /// Entries for an observed MD5/SHA-1/SHA-256 hex digest (any case).
    public func matchHash(_ text: String, into out: inout [IOCMatch]) {
        Self.withBytes(text) { matchHash(bytes: $0, into: &out) }
    }

    /// Entries for an observed URL: the exact URL, and its host as a domain or address.
    public func matchURL(_ text: String, into out: inout [IOCMatch]) {
        if !urls.isEmpty, let url = IOCNormalizer.url(text), let found = urls[url] { out.append(contentsOf: found) }
        guard let host = IOCNormalizer.urlHost(text) else { return }
        if let address = IOCAddress(host) { matchIP(address, into: &out) } else { matchDomain(String(host), into: &out) }
    }

    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    // MARK: - Byte forms

    /// Whether any URL entries exist (URL fields are the one String path; skip it otherwise).
    var hasURLs: Bool { !urls.isEmpty }
    var hasDomains: Bool { !domainLists.isEmpty }
    var hasHashes: Bool { !hashLists.isEmpty }
    var hasAddresses: Bool { !addresses.isEmpty || !blocks.isEmpty }

    func matchIP(bytes: UnsafeBufferPointer<UInt8>, into out: inout [IOCMatch]) {
        guard let address = IOCAddress.parse(bytes) else { return }
        matchIP(address, into: &out)
    }

    func matchHash(bytes: UnsafeBufferPointer<UInt8>, into out: inout [IOCMatch]) {
        guard !hashLists.isEmpty, let digest = Digest(bytes) else { return }
        var found: Int32 = -1
        _ = hashTails.withUnsafeBufferPointer { tails in
            (digest.table == 0 ? md5Table : digest.table == 1 ? sha1Table : sha256Table).first(high: digest.w0, low: digest.w1) { index in
                let tail = tails[Int(index)]
                guard tail.0 == digest.w2 && tail.1 == digest.w3 else { return false }
                found = index
                return true
            }
        }
        if found >= 0 { out.append(contentsOf: hashLists[Int(found)]) }
    }

    static let fnvBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// FNV-1a over `bytes[from...]` taken from the last byte to the first, ASCII-lowercased,
    /// continuing from `seed` (so a longer suffix's hash extends a shorter one's).
    @inline(__always)
    static func suffixHash(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, seed: UInt64) -> UInt64 {
        var h = seed
        var i = bytes.count
        while i > from {
            i -= 1
            h = (h ^ UInt64(lower(bytes[i]))) &* fnvPrime
        }
        return h
    }

    func matchDomain(bytes raw: UnsafeBufferPointer<UInt8>, into out: inout [IOCMatch]) {
        guard !domainLists.isEmpty, !raw.isEmpty else { return }
        var n = raw.count
        var ascii = true
        for byte in raw where byte >= 0x80 { ascii = false; break }
        guard ascii else {
            matchDomainText(String(decoding: raw, as: UTF8.self), into: &out)
            return
        }
        if raw[n - 1] == UInt8(ascii: ".") { n -= 1 }
        guard n > 0 else { return }
        let name = UnsafeBufferPointer(rebasing: raw[..<n])
        // Right to left: at each suffix start (the first byte, or just after a dot) the hash
        // so far is that suffix's. A suffix without a dot is skipped (indexed names have two
        // labels or more), as are those longer than the longest indexed name.
        var hits: [Int32] = []
        var h = Self.fnvBasis
        var sawDot = false
        var i = n
        while i > 0 {
            i -= 1
            let byte = name[i]
            h = (h ^ UInt64(Self.lower(byte))) &* Self.fnvPrime
            if byte == UInt8(ascii: ".") { sawDot = true; continue }
            guard sawDot, i == 0 || name[i - 1] == UInt8(ascii: ".") else { continue }
            let length = n - i
            if length > longestDomain { break }
            let found = lookupDomain(hash: h, name, from: i)
            if found >= 0 { hits.append(found) }
        }
        // Longest name first, as the String walk reported them.
        for found in hits.reversed() { out.append(contentsOf: domainLists[Int(found)]) }
    }

    @inline(__always)
    private func lookupDomain(hash: UInt64, _ name: UnsafeBufferPointer<UInt8>, from: Int) -> Int32 {
        let length = name.count - from
        var found: Int32 = -1
        _ = domainBytes.withUnsafeBufferPointer { arena in
            domainStarts.withUnsafeBufferPointer { starts in
                domains.first(high: hash, low: UInt64(length)) { index in
                    let start = Int(starts[Int(index)])
                    guard Int(starts[Int(index) + 1]) - start == length else { return false }
                    for k in 0..<length where arena[start + k] != Self.lower(name[from + k]) { return false }
                    found = index
                    return true
                }
            }
        }
        return found
    }

    /// The String walk, for names that are not plain ASCII.
    private func matchDomainText(_ text: String, into out: inout [IOCMatch]) {
        var name = Substring(text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? text.lowercased() : text)
        if name.hasSuffix(".") { name = name.dropLast() }
        while !name.isEmpty {
            if let found = domainsByName[name] { out.append(contentsOf: domainLists[Int(found)]) }
            guard let dot = name.firstIndex(of: ".") else { break }
            name = name[name.index(after: dot)...]
        }
    }
}

/// An MD5, SHA-1 or SHA-256 digest decoded from hex (either case) into up to four big-endian
/// words; `table` is 0, 1, 2 by size. Unused words are zero.
struct Digest {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    var table: Int

    @inline(__always)
    init?(_ hex: UnsafeBufferPointer<UInt8>) {
        let count = hex.count
        switch count {
        case 32: table = 0
        case 40: table = 1
        case 64: table = 2
        default: return nil
        }
        let base = hex.baseAddress.unsafelyUnwrapped
        var bad: UInt8 = 0
        (w0, w1, w2, w3) = Digest.nibbleTable.withUnsafeBufferPointer { table in
            let table = table.baseAddress.unsafelyUnwrapped
            let a = Digest.word(base, 16, table, &bad)
            let b = Digest.word(base + 16, 16, table, &bad)
            switch count {
            case 40: return (a, b, Digest.word(base + 32, 8, table, &bad), 0)
            case 64: return (a, b, Digest.word(base + 32, 16, table, &bad), Digest.word(base + 48, 16, table, &bad))
            default: return (a, b, 0, 0)
            }
        }
        guard bad & 0xF0 == 0 else { return nil }
    }

    /// `nibble` of every byte value, looked up instead of branching per digit.
    static let nibbleTable: [UInt8] = (0..<256).map { nibble(UInt8($0)) }

    /// `count` hex digits as a number; a non-digit sets high bits of `bad`.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, _ count: Int, _ table: UnsafePointer<UInt8>, _ bad: inout UInt8) -> UInt64 {
        var word: UInt64 = 0
        var flags: UInt8 = 0
        for i in 0..<count {
            let value = table[Int(p[i])]
            flags |= value
            word = word << 4 | UInt64(value & 0x0F)
        }
        bad |= flags
        return word
    }

    /// 0...15 for a hex digit, 0xFF otherwise.
    @inline(__always)
    static func nibble(_ byte: UInt8) -> UInt8 {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- UInt8(ascii: "a")
        if letter < 6 { return letter + 10 }
        return 0xFF
    }
}
