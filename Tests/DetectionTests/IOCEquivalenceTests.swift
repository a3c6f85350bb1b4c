@testable import Detection
import Ingestion
import MWRASPCore
import Testing

/// The byte-level detector against the String-based one it replaced (kept here as the
/// reference: same table, same `value(atDotted:)` resolution, dictionaries keyed by Strings,
/// CIDRs by a linear scan), on thousands of random events mixing every field form: nested,
/// dotted and mixed keys, repeated keys, arrays, escapes, case, trailing dots, mapped IPv6,
/// Sysmon `Hashes` and `QueryResults`, hash objects, URLs, non-string values.
@Suite struct IOCEquivalenceTests {
    typealias Rng = SplitMix64

    /// The replaced implementation, verbatim in its logic.
    struct Reference {
        var addresses: [IOCAddress: [IOCMatch]] = [:]
        var blocks: [(network: IOCAddress, bits: Int, match: IOCMatch)] = []
        var domains: [Substring: [IOCMatch]] = [:]
        var hashes: [String: [IOCMatch]] = [:]
        var urls: [String: [IOCMatch]] = [:]

        init(_ lists: [IOCList]) {
            for list in lists {
                for entry in list.entries {
                    let text = entry.value.trimmingWhitespace
                    func match(_ indicator: String) -> IOCMatch {
                        IOCMatch(kind: entry.kind, indicator: indicator, listID: list.id, listName: list.name,
                                 severity: entry.severity, description: entry.description)
                    }
                    switch entry.kind {
                    case .ip: if let a = IOCAddress(text) { addresses[a, default: []].append(match(a.description)) }
                    case .cidr:
                        if let (network, bits) = IOCNormalizer.cidr(text) {
                            blocks.append((network, bits, match("\(network)/\(network.isIPv4 ? bits - 96 : bits)")))
                        }
                    case .domain: if let name = IOCNormalizer.domain(text) { domains[Substring(name), default: []].append(match(name)) }
                    case .hash: if let digest = IOCNormalizer.hash(text) { hashes[digest, default: []].append(match(digest)) }
                    case .url: if let url = IOCNormalizer.url(text) { urls[url, default: []].append(match(url)) }
                    }
                }
            }
        }

        func matchIP(_ address: IOCAddress, into out: inout [IOCMatch]) {
            if let found = addresses[address] { out.append(contentsOf: found) }
            // Longest prefix first; same length and network in list order.
            let containing = blocks.enumerated().filter { address.masked($0.element.bits) == $0.element.network }
            out += containing.sorted { ($0.element.bits, -$0.offset) > ($1.element.bits, -$1.offset) }.map(\.element.match)
        }

        func matchDomain(_ text: String, into out: inout [IOCMatch]) {
            guard !domains.isEmpty, !text.isEmpty else { return }
            var name = Substring(text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? text.lowercased() : text)
            if name.hasSuffix(".") { name = name.dropLast() }
            while !name.isEmpty {
                if let found = domains[name] { out.append(contentsOf: found) }
                guard let dot = name.firstIndex(of: ".") else { break }
                name = name[name.index(after: dot)...]
            }
        }

        func matchHash(_ text: String, into out: inout [IOCMatch]) {
            if let digest = IOCNormalizer.hash(text), let found = hashes[digest] { out.append(contentsOf: found) }
        }

        func matchURL(_ text: String, into out: inout [IOCMatch]) {
            if let url = IOCNormalizer.url(text), let found = urls[url] { out.append(contentsOf: found) }
            guard let host = IOCNormalizer.urlHost(text) else { return }
            if let address = IOCAddress(host) { matchIP(address, into: &out) } else { matchDomain(String(host), into: &out) }
        }

        static let rowsByFirst: [String: [(path: String, rest: String, shape: IOCCandidateFields.Shape)]] = {
            var out: [String: [(path: String, rest: String, shape: IOCCandidateFields.Shape)]] = [:]
            for (path, shape) in IOCCandidateFields.table {
                let parts = path.split(separator: ".", maxSplits: 1)
                out[String(parts[0]), default: []].append((path, parts.count > 1 ? String(parts[1]) : "", shape))
            }
            return out
        }()

        static func forEach(_ document: JSONScanner, _ body: (String, IOCCandidateFields.Shape, String) -> Void) {
            guard document.kind(document.root) == .object else { return }
            var seen: [String] = []
            func emit(_ path: String, _ shape: IOCCandidateFields.Shape, _ value: some StringProtocol) {
                let text = String(value)
                guard !text.isEmpty, !seen.contains(text) else { return }
                seen.append(text)
                body(path, shape, text)
            }
            func scalar(_ node: Int, _ path: String, _ shape: IOCCandidateFields.Shape) {
                guard let text = document.string(node) else { return }
                switch shape {
                case .ipList:
                    for part in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }) where IOCAddress(part) != nil {
                        emit(path, .ip, part)
                    }
                case .algorithmPairs:
                    for pair in text.split(separator: ",") {
                        let digest = pair.firstIndex(of: "=").map { pair[pair.index(after: $0)...] } ?? pair
                        emit(path, .hash, digest)
                    }
                default: emit(path, shape, text)
                }
            }
            func read(_ node: Int, _ path: String, _ shape: IOCCandidateFields.Shape) {
                switch document.kind(node) {
                case .string: scalar(node, path, shape)
                case .array: for element in document.elements(node) { scalar(element, path, shape) }
                case .object where shape == .hashObject:
                    for (key, value) in document.members(node) { scalar(value, "\(path).\(document.string(key) ?? "")", .hash) }
                default: break
                }
            }
            for (key, value) in document.members(document.root) {
                guard let name = document.string(key) else { continue }
                if let rows = rowsByFirst[name] {
                    for row in rows {
                        if row.rest.isEmpty {
                            read(value, row.path, row.shape)
                        } else if document.kind(value) == .object, let node = document.value(atDotted: row.rest, from: value) {
                            read(node, row.path, row.shape)
                        }
                    }
                } else if name.contains("."), let first = name.split(separator: ".").first, let rows = rowsByFirst[String(first)] {
                    for row in rows {
                        if row.path == name {
                            read(value, row.path, row.shape)
                        } else if row.path.hasPrefix(name + "."), document.kind(value) == .object,
                                  let node = document.value(atDotted: String(row.path.dropFirst(name.count + 1)), from: value) {
                            read(node, row.path, row.shape)
                        }
                    }
                }
            }
        }

        func evaluate(_ input: DetectionInput) -> [Finding] {
            guard let document = input.document else { return [] }
            var sightings: [(match: IOCMatch, observed: String, path: String)] = []
            var matches: [IOCMatch] = []
            Self.forEach(document) { path, shape, value in
                matches.removeAll(keepingCapacity: true)
                switch shape {
                case .ip, .ipList: if let a = IOCAddress(value) { matchIP(a, into: &matches) }
                case .domain: matchDomain(value, into: &matches)
                case .url: matchURL(value, into: &matches)
                case .hash, .hashObject, .algorithmPairs: matchHash(value, into: &matches)
                }
                for match in matches where !sightings.contains(where: { $0.match == match }) {
                    sightings.append((match, value, path))
                }
            }
            return IOCDetector.findings(sightings, input: input)
        }
    }

    static let listIPs = ["203.0.113.7", "198.51.100.77", "2001:db8::dead:beef", "::ffff:192.0.2.44", "10.20.30.40", "fe80::1"]
    static let listBlocks = ["198.51.100.0/24", "10.0.0.0/8", "10.20.0.0/16", "2001:db8:abcd::/48", "2001:db8::/32",
                             "::ffff:0:0/96", "172.16.0.0/12", "192.0.2.128/25", "100.64.0.0/10", "2001:db8:abcd:12::/127"]
    static let listDomains = ["evil.com", "bad.example.org", "c2.example.net", "x.y.z.evil.io", "évil.com", "xn--e1afmkfd.xn--p1ai",
                              "cdn.evil.com", "z.evil.io", "sub.évil.com"]
    static let listHashes = ["44d88612fea8a8f36de82e1278abb02f", "3395856ce81f2b7382dee72602f798b642f14140",
                             "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
                             // Same first 16 bytes as the MD5 above, longer: must not match each other.
                             "44d88612fea8a8f36de82e1278abb02f00000000",
                             "44d88612fea8a8f36de82e1278abb02f11111111111111111111111111111111"]
    static let listURLs = ["http://evil.com/payload.exe", "https://c2.example.net/gate.php?id=1"]

    static var lists: [IOCList] {
        var a: [IOCEntry] = [], b: [IOCEntry] = []
        func add(_ i: Int, _ entry: IOCEntry) { if i % 2 == 0 { a.append(entry) } else { b.append(entry) } }
        for (i, ip) in listIPs.enumerated() { add(i, IOCEntry(value: ip, kind: .ip, severity: i % 3 == 0 ? .critical : nil)) }
        a.append(IOCEntry(value: "203.0.113.7", kind: .ip, severity: .low))
        for (i, block) in listBlocks.enumerated() { add(i, IOCEntry(value: block, kind: .cidr)) }
        b.append(IOCEntry(value: "10.9.9.9/8", kind: .cidr, severity: .medium))  // same block as 10.0.0.0/8, other list
        for (i, d) in listDomains.enumerated() { add(i, IOCEntry(value: d, kind: .domain)) }
        b.append(IOCEntry(value: "EVIL.com.", kind: .domain, severity: .medium))
        for (i, h) in listHashes.enumerated() { add(i, IOCEntry(value: h, kind: .hash)) }
        for u in listURLs { a.append(IOCEntry(value: u, kind: .url)) }
        return [IOCList(id: "a", name: "List A", entries: a), IOCList(id: "b", name: "List B", entries: b)]
    }

    static func ipText(_ rng: inout Rng) -> String {
        switch rng.below(9) {
        case 0: return rng.pick(listIPs)
        case 1: return "::ffff:" + rng.pick(["203.0.113.7", "10.1.2.3", "198.51.100.9", "8.8.8.8"])
        case 2: return "10.\(rng.below(256)).\(rng.below(256)).\(rng.below(256))"
        case 3: return "198.51.\(99 + rng.below(3)).\(rng.below(256))"
        case 4: return "2001:db8:\(rng.pick(["abcd", "ABCD", "abce", "0"])):\(rng.pick(["12", "0", "ffff"]))::\(rng.pick(["1", "2", "3", "dead:beef"]))"
        case 5: return rng.pick(["2001:0DB8:0:0:0:0:DEAD:BEEF", "[2001:db8::dead:beef]", "fe80::1%eth0", "::", "::1", "1::"])
        case 6: return rng.pick(["1.2.3", "256.1.1.1", "1:2:3:4:5:6:7:8:9", "1::2::3", "010.020.030.040", "", " 203.0.113.7", "abc"])
        case 7: return "\(rng.below(224)).\(rng.below(256)).\(rng.below(256)).\(rng.below(256))"
        default: return "192.0.2.\(rng.below(256))"
        }
    }

    static func domainText(_ rng: inout Rng) -> String {
        var name: String
        switch rng.below(6) {
        case 0: name = rng.pick(listDomains)
        case 1: name = rng.pick(["a.", "www.", "a.b.", "x-1.", ""]) + rng.pick(listDomains)
        case 2: name = rng.pick(["notevil.com", "evil.com.au", "evil.co", "com", "example.org", "z.evil.io", "y.z.evil.io", "a..evil.com", ".evil.com"])
        case 3: name = "d\(rng.below(1000)).\(rng.pick(["com", "net", "io"]))"
        case 4: name = rng.pick(["ÉVIL.com", "a.Évil.COM", "évil.com", "sub.évil.com.", "ǅ.evil.com"])
        default: name = rng.pick(["x.c2.example.net", "C2.Example.NET", "bad.example.org.", "www.bad.example.org"])
        }
        if rng.chance(3) { name = String(name.map { rng.chance(2) ? Character($0.uppercased()) : $0 }) }
        if rng.chance(6) { name += "." }
        return name
    }

    static func hashText(_ rng: inout Rng) -> String {
        var digest: String
        switch rng.below(4) {
        case 0, 1: digest = rng.pick(listHashes)
        case 2: digest = String((0..<rng.pick([32, 40, 64])).map { _ in rng.pick(Array("0123456789abcdef")) })
        default: digest = rng.pick(["", "xyz", "44d88612fea8a8f36de82e1278abb02", "44d88612fea8a8f36de82e1278abb02g", "44d88612fea8a8f36de82e1278abb02f0"])
        }
        return rng.chance(2) ? digest.uppercased() : digest
    }

    /// A JSON string literal, sometimes with a needless escape (so the value must be decoded).
    static func literal(_ text: String, _ rng: inout Rng) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { out += "\\\(scalar)" } else if rng.chance(25) {
                out += "\\u" + String(("000" + String(scalar.value, radix: 16)).suffix(4))
            } else if scalar.value >= 0x10000 { out += String(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }

    static func event(_ rng: inout Rng) -> String {
        var members: [String] = ["\"@timestamp\": 1700000000000"]
        func put(_ path: String, _ value: String) {
            let parts = path.split(separator: ".").map(String.init)
            // Nested, fully dotted, or split at a random point.
            let cut = rng.below(parts.count) + 1
            var inner = value
            if cut < parts.count {
                inner = "{\"\(parts[cut...].joined(separator: "."))\": \(value)}"
            }
            let head = parts[..<cut]
            if head.count > 1 && rng.chance(2) {
                // Nest the head too: {"a": {"b": ...}}
                var nested = inner
                for part in head.dropFirst().reversed() { nested = "{\"\(part)\": \(nested)}" }
                members.append("\"\(head.first!)\": \(nested)")
            } else {
                members.append("\"\(head.joined(separator: "."))\": \(inner)")
            }
        }
        for _ in 0..<(1 + rng.below(6)) {
            switch rng.below(16) {
            case 0: put(rng.pick(["source.ip", "destination.ip", "client.ip", "server.ip", "host.ip"]), literal(ipText(&rng), &rng))
            case 1: put("related.ip", "[" + (0..<rng.below(4)).map { _ in literal(ipText(&rng), &rng) }.joined(separator: ", ") + "]")
            case 2: put(rng.pick(["Event.EventData.SourceIp", "Event.EventData.DestinationIp", "Event.EventData.IpAddress"]), literal(ipText(&rng), &rng))
            case 3:
                let results = (0..<rng.below(4)).map { _ in rng.pick(["type:  5 cdn.example", ipText(&rng), "::ffff:" + rng.pick(listIPs.filter { !$0.contains(":") })]) }
                put("Event.EventData.QueryResults", literal(results.joined(separator: rng.pick([";", ",", " ", "; "])) + ";", &rng))
            case 4: put(rng.pick(["Event.EventData.QueryName", "Event.EventData.DestinationHostname", "dns.question.name", "url.domain"]), literal(domainText(&rng), &rng))
            case 5: put(rng.pick(["destination.domain", "source.domain", "server.domain", "client.domain"]), literal(domainText(&rng), &rng))
            case 6: put("related.hosts", "[" + (0..<rng.below(3)).map { _ in literal(domainText(&rng), &rng) }.joined(separator: ", ") + "]")
            case 7:
                let url = rng.pick(["http://", "HTTPS://", "ftp://", ""]) + rng.pick(["", "user@"]) + domainText(&rng) + rng.pick(["", ":8443", ""])
                    + rng.pick(["", "/", "/payload.exe", "/gate.php?id=1", "/Payload.exe"])
                put(rng.pick(["url.full", "url.original"]), literal(rng.chance(5) ? rng.pick(listURLs) : url, &rng))
            case 8:
                let pairs = (0..<rng.below(5)).map { _ in rng.pick(["SHA1=", "MD5=", "SHA256=", "IMPHASH=", ""]) + hashText(&rng) }
                put(rng.pick(["Event.EventData.Hashes", "Event.EventData.Hash"]), literal(pairs.joined(separator: rng.pick([",", ",,"])), &rng))
            case 9:
                let fields = (0..<rng.below(4)).map { _ in "\"\(rng.pick(["md5", "sha1", "sha256", "ssdeep"]))\": \(literal(hashText(&rng), &rng))" }
                put(rng.pick(["file.hash", "process.hash", "process.parent.hash", "dll.hash"]), "{" + fields.joined(separator: ", ") + "}")
            case 10: put("related.hash", "[" + (0..<rng.below(3)).map { _ in literal(hashText(&rng), &rng) }.joined(separator: ", ") + "]")
            case 11: put(rng.pick(["related.ip", "related.hosts", "file.hash", "Event.EventData.QueryName", "dns.question.name"]),
                         rng.pick(["12", "null", "true", "{}", "[]", "{\"a\": \"evil.com\"}"]))
            case 12: members.append(rng.pick(["\"src_ip\": \"203.0.113.7\"", "\"dst_ip\": \"::ffff:198.51.100.3\"", "\"message\": \"evil.com\"",
                                              "\"sourc\\u0065\": {\"ip\": \"10.1.1.1\"}", "\"dns\": {\"question\": {\"name\": \"a.evil.com\"}, \"question.name\": \"b.bad.example.org\"}",
                                              "\"url.\": {\"domain\": \"evil.com\"}", "\".url.domain\": \"evil.com\"", "\"Event\": {\"EventData.\": {\"QueryName\": \"evil.com\"}}"]))
            case 13: members.append("\"labels\": {\"ip\": \"203.0.113.7\", \"domain\": \"evil.com\"}")
            case 14: put("url.domain", literal(rng.pick(listDomains), &rng))  // repeats a key often
            default: put("destination.ip", literal(rng.pick(listIPs), &rng))
            }
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    @Test func byteDetectorAgreesWithTheStringReference() {
        let lists = Self.lists
        let reference = Reference(lists)
        let detector = IOCDetector(matcher: IOCMatcher(lists: lists))
        var rng = Rng(seed: 7)
        var compared = 0, withFindings = 0
        for _ in 0..<6000 {
            let json = Self.event(&rng)
            var context = IngestContext(receivedAt: 1_700_000_000_000)
            guard let event = try? GenericEventAdapter.parse(Array(json.utf8), context: &context) else { continue }
            let input = DetectionInput(event: event)
            let expected = reference.evaluate(input)
            let actual = detector.evaluate(input)
            compared += 1
            if !expected.isEmpty { withFindings += 1 }
            #expect(actual.map(\.title) == expected.map(\.title), "\(String(decoding: event.document, as: UTF8.self))")
            #expect(actual.map(\.indicators) == expected.map(\.indicators), "\(String(decoding: event.document, as: UTF8.self))")
            #expect(actual.map(\.severity) == expected.map(\.severity))
            if actual.map(\.indicators) != expected.map(\.indicators) { break }
        }
        #expect(compared > 4000)
        #expect(withFindings > 1000)
    }

    @Test func matcherAgreesWithTheReferenceOnRandomValues() {
        let lists = Self.lists
        let reference = Reference(lists)
        let matcher = IOCMatcher(lists: lists)
        var rng = Rng(seed: 11)
        for _ in 0..<20000 {
            var a: [IOCMatch] = [], b: [IOCMatch] = []
            switch rng.below(4) {
            case 0:
                let text = Self.ipText(&rng)
                matcher.matchIP(text, into: &a)
                if let address = IOCAddress(text) { reference.matchIP(address, into: &b) }
            case 1:
                let text = Self.domainText(&rng)
                matcher.matchDomain(text, into: &a)
                reference.matchDomain(text, into: &b)
            case 2:
                let text = Self.hashText(&rng)
                matcher.matchHash(text, into: &a)
                reference.matchHash(text, into: &b)
            default:
                let text = rng.pick(["http://", "HTTP://"]) + Self.domainText(&rng) + rng.pick(["", "/payload.exe", "/"])
                matcher.matchURL(text, into: &a)
                reference.matchURL(text, into: &b)
            }
            #expect(a == b)
            if a != b { break }
        }
    }
}

/// The draws the IOC tests make (here and in `IOCByteLevelTests`).
extension SplitMix64 {
    /// One time in `n`.
    mutating func chance(_ n: Int) -> Bool { below(n) == 0 }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
