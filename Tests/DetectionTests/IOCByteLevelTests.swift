@testable import Detection
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ingestion
import MWRASPCore
import Testing

/// The byte-level pieces of the matcher against independent references: addresses against
/// glibc's `inet_pton` (IPv6) and a split-based reading of the dotted quad, digests against
/// `IOCNormalizer.hash`, the hash table against a Dictionary.
@Suite struct IOCByteLevelTests {
    typealias Rng = IOCEquivalenceTests.Rng

    static func pton6(_ text: String) -> IOCAddress? {
        var raw = in6_addr()
        guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
        return withUnsafeBytes(of: &raw) { bytes in
            var high: UInt64 = 0, low: UInt64 = 0
            for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
            for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
            return IOCAddress(high: high, low: low)
        }
    }

    /// Four decimal parts of one to three digits, each at most 255 (leading zeros allowed,
    /// as the parser has always read them).
    static func quad(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = UInt32(part), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    static func parse(_ text: String) -> IOCAddress? {
        Array(text.utf8).withUnsafeBufferPointer { IOCAddress.parse($0) }
    }

    static func randomIPv6(_ rng: inout Rng) -> String {
        var words = (0..<8).map { _ in rng.chance(3) ? 0 : rng.below(65536) }
        if rng.chance(4) { words[0] = 0; words[1] = 0; words[2] = 0; words[3] = 0; words[4] = 0; words[5] = 0xFFFF }  // mapped
        var texts = words.map { word -> String in
            var hex = String(word, radix: 16)
            if rng.chance(4) { hex = String(repeating: "0", count: 4 - hex.count) + hex }  // leading zeros
            return rng.chance(3) ? hex.uppercased() : hex
        }
        var tail: String?
        if rng.chance(3) {  // embedded IPv4 for the last two words
            tail = "\(words[6] >> 8).\(words[6] & 255).\(words[7] >> 8).\(words[7] & 255)"
            texts.removeLast(2)
        }
        // Compress one run of zero words (any run, not only the longest), or none.
        var runs: [(Int, Int)] = []
        var i = 0
        while i < texts.count {
            if words[i] == 0 {
                var j = i
                while j < texts.count && words[j] == 0 { j += 1 }
                runs.append((i, j))
                i = j
            } else { i += 1 }
        }
        var text: String
        if !runs.isEmpty && !rng.chance(4) {
            let (a, b) = rng.pick(runs)
            text = texts[..<a].joined(separator: ":") + "::" + texts[b...].joined(separator: ":")
            if let tail { text += (b == texts.count ? "" : ":") + tail }
        } else {
            text = texts.joined(separator: ":")
            if let tail { text += (texts.isEmpty ? "" : ":") + tail }
        }
        return text
    }

    static func mangle(_ text: String, _ rng: inout Rng) -> String {
        var chars = Array(text)
        switch rng.below(6) {
        case 0 where !chars.isEmpty: chars.remove(at: rng.below(chars.count))
        case 1: chars.insert(rng.pick(Array(":.0fFg:")), at: rng.below(chars.count + 1))
        case 2 where !chars.isEmpty: chars[rng.below(chars.count)] = rng.pick(Array(":.x 9"))
        case 3: chars += Array(rng.pick([":", "::", ":1", ".1", "::1", ":0:0"]))
        case 4: chars = Array(rng.pick([":", "::", ":::"])) + chars
        default: break
        }
        return String(chars)
    }

    @Test func ipv6AgreesWithInetPton() {
        var rng = Rng(seed: 3)
        var valid = 0
        for _ in 0..<30000 {
            var text = Self.randomIPv6(&rng)
            if rng.chance(2) { text = Self.mangle(text, &rng) }
            // Our reader accepts leading zeros in an embedded dotted quad; glibc does not.
            let tail = text.split(separator: ":", omittingEmptySubsequences: false).last ?? ""
            if tail.contains("."), tail.split(separator: ".").contains(where: { $0.count > 1 && $0.first == "0" }) { continue }
            guard text.contains(":") else { continue }
            let expected = Self.pton6(text)
            #expect(Self.parse(text) == expected, "\(text)")
            #expect(IOCAddress(text) == expected, "\(text)")
            if expected != nil { valid += 1 }
        }
        #expect(valid > 10000)
    }

    @Test func ipv4AgreesWithASplitReading() {
        var rng = Rng(seed: 5)
        for _ in 0..<30000 {
            var text: String
            switch rng.below(3) {
            case 0: text = (0..<4).map { _ in String(rng.below(300)) }.joined(separator: ".")
            case 1: text = (0..<4).map { _ in rng.pick(["0", "00", "000", "0000", "01", "255", "256", "1", "99", ""]) }.joined(separator: ".")
            default: text = Self.mangle("\(rng.below(256)).\(rng.below(256)).\(rng.below(256)).\(rng.below(256))", &rng)
            }
            guard !text.contains(":") else { continue }
            let expected = Self.quad(text).map { IOCAddress(high: 0, low: 0xFFFF_0000_0000 | UInt64($0)) }
            #expect(Self.parse(text) == expected, "\(text)")
            #expect(IOCAddress(text) == expected, "\(text)")
        }
    }

    @Test func addressEdgeForms() {
        let v4 = IOCAddress("203.0.113.7")
        for same in ["::ffff:203.0.113.7", "::FFFF:cb00:7107", "0:0:0:0:0:ffff:203.0.113.7", "[::ffff:203.0.113.7]", "203.000.113.007", "::ffff:203.0.113.7%eth0"] {
            #expect(IOCAddress(same) == v4, "\(same)")
        }
        #expect(IOCAddress("::203.0.113.7") == IOCAddress(high: 0, low: 0xCB00_7107))  // IPv4-compatible, not mapped
        #expect(IOCAddress("::203.0.113.7")?.isIPv4 == false)
        for bad in ["[203.0.113.7", "203.0.113.7]", "%eth0", "::ffff:203.0.113", "::ffff:1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "1::2:3:4:5:6:7:8",
                    "::ffff:256.0.0.1", "0x1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1..2.3", "::g", "12345::1", "1:::2", ":::"] {
            #expect(IOCAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func digestsDecodeAsTheNormalizerReadsThem() {
        var rng = Rng(seed: 9)
        var seen: [String: (UInt64, UInt64, UInt64, UInt64, Int)] = [:]
        for _ in 0..<20000 {
            let length = rng.pick([31, 32, 33, 40, 64, 65, 0, 39])
            var text = String((0..<length).map { _ in rng.pick(Array("0123456789abcdefABCDEF")) })
            if rng.chance(5), !text.isEmpty {
                var chars = Array(text)
                chars[rng.below(chars.count)] = rng.pick(Array("gG/:@`xz \u{7f}"))
                text = String(chars)
            }
            let digest = Array(text.utf8).withUnsafeBufferPointer { Digest($0) }
            let normalized = IOCNormalizer.hash(text)
            #expect((digest != nil) == (normalized != nil), "\(text)")
            guard let digest, let normalized else { continue }
            // Equal digests exactly when the normalized texts are equal.
            let key = (digest.w0, digest.w1, digest.w2, digest.w3, digest.table)
            if let other = seen[normalized] { #expect(other == key) }
            seen[normalized] = key
            let hex = [digest.w0, digest.w1, digest.w2, digest.w3].map { w in
                let s = String(w, radix: 16); return String(repeating: "0", count: 16 - s.count) + s
            }.joined()
            let expected = normalized.utf8.count == 40 ? String(hex.prefix(32)) + String(hex.dropFirst(40).prefix(8)) : String(hex.prefix(normalized.utf8.count))
            #expect(expected == normalized, "\(text)")
        }
    }

    @Test func hashTableAgreesWithADictionary() {
        var rng = Rng(seed: 13)
        var builder = IOCHashTable.Builder()
        var reference: [IOCAddress: [Int32]] = [:]
        var keys: [IOCAddress] = []
        for i in 0..<5000 {
            // Few distinct highs, so keys collide in part; some keys repeat.
            let key = rng.chance(5) && !keys.isEmpty ? rng.pick(keys) : IOCAddress(high: UInt64(rng.below(4)), low: rng.next() % 3000)
            keys.append(key)
            builder.insert(high: key.high, low: key.low, value: Int32(i))
            reference[key, default: []].append(Int32(i))
        }
        let table = builder.build()
        for _ in 0..<20000 {
            let key = rng.chance(2) ? rng.pick(keys) : IOCAddress(high: UInt64(rng.below(5)), low: rng.next() % 4000)
            let expected = reference[key] ?? []
            #expect(table.first(high: key.high, low: key.low) == (expected.first ?? -1))
            var visited: [Int32] = []
            _ = table.first(high: key.high, low: key.low) { visited.append($0); return false }
            #expect(Set(visited) == Set(expected))
        }
        #expect(IOCHashTable().first(high: 0, low: 0) == -1)
    }

    @Test func manyValuesAndEscapesMatchTheReference() {
        let lists = IOCEquivalenceTests.lists
        let reference = IOCEquivalenceTests.Reference(lists)
        let detector = IOCDetector(matcher: IOCMatcher(lists: lists))
        // More distinct values than the detector remembers without allocating (32), repeated.
        var ips = (0..<45).map { "192.0.2.\($0 * 5)" } + ["203.0.113.7", "10.1.2.3", "192.0.2.0", "203.0.113.7"]
        ips += ips.reversed()
        let json = """
            {"related": {"ip": [\(ips.map { "\"\($0)\"" }.joined(separator: ","))], "hosts": ["a.\\u0065vil.com", "EVIL.COM", "evil.com"]},
             "file": {"hash": {"md\\u0035": "44D88612FEA8A8F36DE82E1278ABB02F", "sha1": "44d88612fea8a8f36de82e1278abb02f00000000"}},
             "Event": {"EventData": {"QueryResults": "type: 5 x;\\u003a:ffff:203.0.113.7;::ffff:198.51.100.3;", "Hashes": "MD5=44d88612fea8a8f36de82e1278abb02f,,SHA1="}}}
            """
        let input = DetectionTestEvents.input(json)
        let expected = reference.evaluate(input)
        let actual = detector.evaluate(input)
        #expect(actual.count >= 6)
        #expect(actual.map(\.indicators) == expected.map(\.indicators))
        #expect(actual.map(\.title) == expected.map(\.title))
    }
}
