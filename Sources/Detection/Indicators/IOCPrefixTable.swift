/// CIDR blocks as one hash table per prefix length (0...128, IPv4 at 96...128). A lookup
/// masks the address to each length present and probes that table: its cost depends on how
/// many distinct lengths the lists use (at most 33 for IPv4, 129 for IPv6, typically a dozen), never on how many
/// blocks there are, and it reports every block containing the address, nested ones included.
///
/// Tables are `IOCHashTable`s (integer keys, cheap hash). In front of the lengths of 16 bits
/// and more (IPv4) or 32 bits and more (IPv6) sits a 65,536-bit filter of the blocks' leading
/// bits (IPv4: the first 16 bits themselves; IPv6: a hash of the first 32), so an address
/// outside every block's /16 (or /32) usually skips all those probes. Shorter blocks (rare
/// in feeds) are always probed. The filter only skips probes that cannot hit.
struct IOCPrefixTable: Sendable {
    private var tables: [IOCHashTable] = []
    private var builders: [IOCHashTable.Builder] = Array(repeating: IOCHashTable.Builder(), count: 129)
    /// Match lists, indexed by the tables' payloads.
    private var lists: [[IOCMatch]] = []
    /// Prefix lengths in use, longest first (most specific blocks reported first), kept
    /// apart by the address space the blocks can contain, so an IPv4 address never probes
    /// the IPv6 feeds' lengths and vice versa; each split at the filter's width into those
    /// behind the filter (`...Long`) and those always probed (`...Short`).
    private var ipv4Long: [Int] = []
    private var ipv4Short: [Int] = []
    private var ipv6Long: [Int] = []
    private var ipv6Short: [Int] = []
    /// Lengths of IPv6 blocks wide enough to hold IPv4-mapped addresses (`::/0`, `::/64`,
    /// `::ffff:0:0/96`...): IPv4 addresses probe these too.
    private var mappedLengths: [Int] = []
    private var ipv4Filter = [UInt64](repeating: 0, count: 1024)
    private var ipv6Filter = [UInt64](repeating: 0, count: 1024)
    /// Build-time only: where each (length, network) went, to merge repeated blocks.
    private var slots: [Int: [IOCAddress: Int32]] = [:]

    /// True until `finish()` has built the tables (nothing to probe before).
    var isEmpty: Bool { tables.isEmpty || (ipv4Long.isEmpty && ipv4Short.isEmpty && ipv6Long.isEmpty && ipv6Short.isEmpty) }

    static let ipv4FilterBits = 96 + 16
    static let ipv6FilterBits = 32

    @inline(__always) static func ipv4Key(_ address: IOCAddress) -> Int { Int(truncatingIfNeeded: address.low >> 16) & 0xFFFF }
    @inline(__always) static func ipv6Key(_ address: IOCAddress) -> Int {
        Int(truncatingIfNeeded: ((address.high >> 32) &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }
    @inline(__always) static func test(_ filter: UnsafeBufferPointer<UInt64>, _ key: Int) -> Bool {
        filter[key >> 6] & (1 << UInt64(key & 63)) != 0
    }

    mutating func insert(network: IOCAddress, bits: Int, match: IOCMatch) {
        if let index = slots[bits]?[network] {
            lists[Int(index)].append(match)
            return
        }
        let index = Int32(lists.count)
        lists.append([match])
        slots[bits, default: [:]][network] = index
        builders[bits].insert(high: network.high, low: network.low, value: index)
        let coversMapped = bits <= 96 && IOCAddress(high: 0, low: 0xFFFF_0000_0000).masked(bits) == network
        if network.isIPv4 && bits >= 96 {
            if bits >= Self.ipv4FilterBits {
                Self.add(bits, to: &ipv4Long)
                let key = Self.ipv4Key(network)
                ipv4Filter[key >> 6] |= 1 << UInt64(key & 63)
            } else {
                Self.add(bits, to: &ipv4Short)
            }
        } else {
            if bits >= Self.ipv6FilterBits {
                Self.add(bits, to: &ipv6Long)
                let key = Self.ipv6Key(network)
                ipv6Filter[key >> 6] |= 1 << UInt64(key & 63)
            } else {
                Self.add(bits, to: &ipv6Short)
            }
            if coversMapped { Self.add(bits, to: &mappedLengths) }
        }
    }

    /// Builds the tables and drops the build-time index (call once every block is in).
    mutating func finish() {
        tables = builders.map { $0.build() }
        builders = []
        slots = [:]
    }

    private static func add(_ bits: Int, to lengths: inout [Int]) {
        guard !lengths.contains(bits) else { return }
        lengths.append(bits)
        lengths.sort(by: >)
    }

    func matches(_ address: IOCAddress, into out: inout [IOCMatch]) {
        if address.isIPv4 {
            if !ipv4Long.isEmpty, ipv4Filter.withUnsafeBufferPointer({ Self.test($0, Self.ipv4Key(address)) }) {
                probe(address, ipv4Long, into: &out)
            }
            if !ipv4Short.isEmpty { probe(address, ipv4Short, into: &out) }
            if !mappedLengths.isEmpty { probe(address, mappedLengths, into: &out) }
        } else {
            if !ipv6Long.isEmpty, ipv6Filter.withUnsafeBufferPointer({ Self.test($0, Self.ipv6Key(address)) }) {
                probe(address, ipv6Long, into: &out)
            }
            if !ipv6Short.isEmpty { probe(address, ipv6Short, into: &out) }
        }
    }

    private func probe(_ address: IOCAddress, _ lengths: [Int], into out: inout [IOCMatch]) {
        for bits in lengths {
            let network = address.masked(bits)
            let found = tables[bits].first(high: network.high, low: network.low)
            if found >= 0 { out.append(contentsOf: lists[Int(found)]) }
        }
    }
}
