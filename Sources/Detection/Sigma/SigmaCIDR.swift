/// A `|cidr` network, IPv4 or IPv6, and the address parsing it needs (no Foundation). IPv4
/// networks also match IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`).
struct SigmaCIDR: Sendable {
    let network: [UInt8]   // 4 or 16 bytes, host bits cleared
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = Self.parse(Array(parts[0].utf8)) else { return nil }
        let bits = address.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let p = Int(parts[1]), p >= 0, p <= bits else { return nil }
            prefix = p
        }
        self.prefix = prefix
        self.network = Self.masked(address, prefix)
    }

    func contains(_ value: SigmaValueText) -> Bool {
        guard var address = Self.parse(value.bytes) else { return false }
        if network.count == 4 && address.count == 16 {
            guard address[0..<10].allSatisfy({ $0 == 0 }) && address[10] == 0xFF && address[11] == 0xFF else { return false }
            address = Array(address[12...])
        }
        guard address.count == network.count else { return false }
        return Self.masked(address, prefix) == network
    }

    private static func masked(_ address: [UInt8], _ prefix: Int) -> [UInt8] {
        var out = address
        for i in out.indices {
            let keep = max(0, min(8, prefix - i * 8))
            out[i] &= keep == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        return out
    }

    /// IPv4 dotted quad or IPv6 (with `::` and an embedded IPv4 tail); zone ids are ignored.
    static func parse(_ text: [UInt8]) -> [UInt8]? {
        var bytes = text
        if let percent = bytes.firstIndex(of: UInt8(ascii: "%")) { bytes = Array(bytes[..<percent]) }
        if !bytes.contains(UInt8(ascii: ":")) { return parseIPv4(bytes[...]) }
        return parseIPv6(bytes)
    }

    private static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3 else { return nil }
            var v = 0
            for c in part {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            guard v <= 255 else { return nil }
            out.append(UInt8(v))
        }
        return out
    }

    private static func parseIPv6(_ bytes: [UInt8]) -> [UInt8]? {
        var head: [UInt16] = [], tail: [UInt16] = []
        var sawGap = false
        let text = bytes[...]
        var groups: [ArraySlice<UInt8>]
        if let gap = find(text, "::") {
            sawGap = true
            let left = text[..<gap], right = text[(gap + 2)...]
            groups = left.isEmpty ? [] : left.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard let h = hexGroups(groups) else { return nil }
            head = h
            groups = right.isEmpty ? [] : right.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        } else {
            groups = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        }
        var v4: [UInt8]?
        if let last = groups.last, last.contains(UInt8(ascii: ".")) {
            guard let parsed = parseIPv4(last) else { return nil }
            v4 = parsed
            groups.removeLast()
        }
        guard let t = hexGroups(groups) else { return nil }
        tail = t
        if let v4 { tail += [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])] }
        if !sawGap { head = tail; tail = [] }
        let missing = 8 - head.count - tail.count
        guard sawGap ? missing >= 1 : missing == 0 else { return nil }
        let all = head + Array(repeating: 0, count: missing) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    private static func hexGroups(_ groups: [ArraySlice<UInt8>]) -> [UInt16]? {
        var out: [UInt16] = []
        for g in groups {
            guard !g.isEmpty, g.count <= 4 else { return nil }
            var v: UInt16 = 0
            for c in g {
                guard let d = hexDigit(c) else { return nil }
                v = v << 4 | UInt16(d)
            }
            out.append(v)
        }
        return out
    }

    private static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    private static func find(_ text: ArraySlice<UInt8>, _ what: String) -> Int? {
        let w = Array(what.utf8)
        var i = text.startIndex
        while i + w.count <= text.endIndex {
            if text[i..<(i + w.count)].elementsEqual(w) { return i }
            i += 1
        }
        return nil
    }
}
