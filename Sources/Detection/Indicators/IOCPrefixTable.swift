/// CIDR blocks as one hash table per prefix length (0...128, IPv4 at 96...128). A lookup
/// masks the address to each length present and probes that table: its cost depends on how
/// many distinct lengths the lists use (at most 33 for IPv4, 129 for IPv6, typically a dozen), never on how many
/// blocks there are, and it reports every block containing the address, nested ones included.
struct IOCPrefixTable: Sendable {
    private var tables: [[IOCAddress: [IOCMatch]]] = Array(repeating: [:], count: 129)
    /// Prefix lengths in use, longest first (most specific blocks reported first), kept
    /// apart by the address space the blocks can contain, so an IPv4 address never probes
    /// the IPv6 feeds' lengths and vice versa.
    private var ipv4Lengths: [Int] = []
    private var ipv6Lengths: [Int] = []
    /// Lengths of IPv6 blocks wide enough to hold IPv4-mapped addresses (`::/0`, `::/64`,
    /// `::ffff:0:0/96`...): IPv4 addresses probe these too.
    private var mappedLengths: [Int] = []

    var isEmpty: Bool { ipv4Lengths.isEmpty && ipv6Lengths.isEmpty }

    mutating func insert(network: IOCAddress, bits: Int, match: IOCMatch) {
        let coversMapped = bits <= 96 && IOCAddress(high: 0, low: 0xFFFF_0000_0000).masked(bits) == network
        if network.isIPv4 && bits >= 96 {
            Self.add(bits, to: &ipv4Lengths)
        } else {
            Self.add(bits, to: &ipv6Lengths)
            if coversMapped { Self.add(bits, to: &mappedLengths) }
        }
        tables[bits][network, default: []].append(match)
    }

    private static func add(_ bits: Int, to lengths: inout [Int]) {
        guard !lengths.contains(bits) else { return }
        lengths.append(bits)
        lengths.sort(by: >)
    }

    func matches(_ address: IOCAddress, into out: inout [IOCMatch]) {
        if address.isIPv4 {
            probe(address, ipv4Lengths, into: &out)
            if !mappedLengths.isEmpty { probe(address, mappedLengths, into: &out) }
        } else {
            probe(address, ipv6Lengths, into: &out)
        }
    }

    private func probe(_ address: IOCAddress, _ lengths: [Int], into out: inout [IOCMatch]) {
        for bits in lengths {
            if let found = tables[bits][address.masked(bits)] { out.append(contentsOf: found) }
        }
    }
}
