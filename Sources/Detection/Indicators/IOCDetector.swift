import Ingestion
import MWRASPCore
import Synchronization

/// Matches every event's observables (IOCCandidateFields.swift) against the current
/// `IOCMatcher`. One finding per matched indicator (an indicator on several lists gives one
/// finding naming each list). The matcher is swapped whole by `update` when lists change;
/// evaluation only holds the lock to take a reference to it.
///
/// The hot path works on the document's tape bytes: values are handed to the matcher as byte
/// slices, de-duplicated by their bytes, and Strings (the observed value, the field path) are
/// only made for values that matched. An event without observables allocates nothing.
public final class IOCDetector: EventDetector {
    public static let detectorID = "IOC"
    private let current: Mutex<IOCMatcher>

    public init(matcher: IOCMatcher = IOCMatcher()) {
        self.current = Mutex(matcher)
    }

    public var matcher: IOCMatcher { current.withLock { $0 } }

    public func update(_ matcher: IOCMatcher) {
        current.withLock { $0 = matcher }
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        evaluate(input, matcher: current.withLock { $0 })
    }

    /// With the matcher taken once for a batch (`matcher`): both cores judging a batch took the
    /// same lock for every event.
    public func evaluate(_ input: DetectionInput, matcher: IOCMatcher) -> [Finding] {
        guard !matcher.isEmpty, let document = input.document else { return [] }
        let sightings: [(match: IOCMatch, observed: String, path: String)] = document.bytes.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: Evaluation.inlineSeen) { seen in
                var evaluation = Evaluation(matcher: matcher, document: document, bytes: bytes, seen: seen)
                defer { for buffer in evaluation.owned { buffer.deallocate() } }
                IOCCandidateExtractor.forEachField(document) { row, node in evaluation.read(row: row, node) }
                if evaluation.sightings.isEmpty { return [] }
                return evaluation.sightings.map {
                    ($0.match, String(decoding: $0.value, as: UTF8.self), evaluation.path($0.row, $0.member))
                }
            }
        }
        return sightings.isEmpty ? [] : Self.findings(sightings, input: input)
    }

    /// One event's matching: what was seen and what matched, as byte slices of the tape (or
    /// of `owned` copies for strings with escapes, freed when the evaluation ends).
    private struct Evaluation {
        struct Sighting {
            var match: IOCMatch
            var value: UnsafeBufferPointer<UInt8>
            var row: Int
            /// The member key node under a hash object (`file.hash.md5`), or -1.
            var member: Int
        }

        /// Distinct values remembered without allocating; more spill into `moreSeen`.
        static let inlineSeen = 32

        let matcher: IOCMatcher
        let document: JSONScanner
        let bytes: UnsafeBufferPointer<UInt8>
        let seen: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
        var seenCount = 0
        var moreSeen: [UnsafeBufferPointer<UInt8>] = []
        var owned: [UnsafeMutableBufferPointer<UInt8>] = []
        var sightings: [Sighting] = []

        init(matcher: IOCMatcher, document: JSONScanner, bytes: UnsafeBufferPointer<UInt8>,
             seen: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>) {
            self.matcher = matcher
            self.document = document
            self.bytes = bytes
            self.seen = seen
        }

        mutating func read(row: Int, _ node: Int) {
            let shape = IOCCandidateFields.table[row].shape
            switch document.kind(node) {
            case .string: scalar(node, row: row, member: -1, shape)
            case .array: for element in document.elements(node) { scalar(element, row: row, member: -1, shape) }
            case .object where shape == .hashObject:
                for (key, value) in document.members(node) { scalar(value, row: row, member: key, .hash) }
            default: break
            }
        }

        /// A string node's bytes: a slice of the document, or a decoded copy when escaped.
        mutating func content(_ node: Int) -> UnsafeBufferPointer<UInt8>? {
            let n = document.nodes[node]
            guard n.kind == .string else { return nil }
            if !n.escaped { return UnsafeBufferPointer(rebasing: bytes[Int(n.start)..<Int(n.end)]) }
            let decoded = document.decodedBytes(node)
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, decoded.count))
            _ = copy.initialize(from: decoded)
            owned.append(copy)
            return UnsafeBufferPointer(rebasing: copy[..<decoded.count])
        }

        mutating func scalar(_ node: Int, row: Int, member: Int, _ shape: IOCCandidateFields.Shape) {
            guard let value = content(node) else { return }
            switch shape {
            case .ipList:
                // Parts split at `;`, `,` or space, empty parts dropped; only addresses count.
                var start = 0
                for i in 0...value.count where i == value.count || value[i] == UInt8(ascii: ";") || value[i] == UInt8(ascii: ",") || value[i] == UInt8(ascii: " ") {
                    if i > start {
                        let part = UnsafeBufferPointer(rebasing: value[start..<i])
                        if IOCAddress.parse(part) != nil { emit(part, row: row, member: member, .ip) }
                    }
                    start = i + 1
                }
            case .algorithmPairs:
                // `ALGO=digest` pairs split at commas (empty ones dropped); a pair without `=`
                // is taken whole.
                var start = 0
                for i in 0...value.count where i == value.count || value[i] == UInt8(ascii: ",") {
                    if i > start {
                        var from = start
                        if let equals = value[start..<i].firstIndex(of: UInt8(ascii: "=")) { from = equals + 1 }
                        emit(UnsafeBufferPointer(rebasing: value[from..<i]), row: row, member: member, .hash)
                    }
                    start = i + 1
                }
            default:
                emit(value, row: row, member: member, shape)
            }
        }

        @inline(__always)
        static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            guard a.count == b.count else { return false }
            if a.baseAddress == b.baseAddress { return true }
            for i in 0..<a.count where a[i] != b[i] { return false }
            return true
        }

        /// Whether an equal value was emitted before in this event; remembers it if not.
        mutating func firstSighting(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
            for i in 0..<seenCount where Self.same(seen[i], value) { return false }
            if moreSeen.contains(where: { Self.same($0, value) }) { return false }
            if seenCount < seen.count {
                seen.initializeElement(at: seenCount, to: value)
                seenCount += 1
            } else {
                moreSeen.append(value)
            }
            return true
        }

        mutating func emit(_ value: UnsafeBufferPointer<UInt8>, row: Int, member: Int, _ shape: IOCCandidateFields.Shape) {
            guard !value.isEmpty, firstSighting(value) else { return }
            var matches: [IOCMatch] = []
            switch shape {
            case .ip, .ipList: matcher.matchIP(bytes: value, into: &matches)
            case .domain: matcher.matchDomain(bytes: value, into: &matches)
            case .url: matcher.matchURL(String(decoding: value, as: UTF8.self), into: &matches)
            case .hash, .hashObject, .algorithmPairs: matcher.matchHash(bytes: value, into: &matches)
            }
            for match in matches where !sightings.contains(where: { $0.match == match }) {
                sightings.append(Sighting(match: match, value: value, row: row, member: member))
            }
        }

        func path(_ row: Int, _ member: Int) -> String {
            let path = IOCCandidateFields.table[row].path
            return member < 0 ? path : "\(path).\(document.string(member) ?? "")"
        }
    }

    /// Groups sightings by indicator: one finding each, listing every list that has it.
    static func findings(_ sightings: [(match: IOCMatch, observed: String, path: String)], input: DetectionInput) -> [Finding] {
        var findings: [Finding] = []
        var done: [(IOCKind, String)] = []
        for sighting in sightings where !done.contains(where: { $0 == (sighting.match.kind, sighting.match.indicator) }) {
            let match = sighting.match
            done.append((match.kind, match.indicator))
            let same = sightings.filter { $0.match.kind == match.kind && $0.match.indicator == match.indicator }
            let kindName = match.kind == .hash ? IOCNormalizer.hashAlgorithm(match.indicator) : match.kind.rawValue
            var indicators = [
                Indicator(name: "ioc.kind", value: kindName),
                Indicator(name: "ioc.value", value: match.indicator),
                Indicator(name: "observed", value: sighting.observed),
                Indicator(name: "field", value: sighting.path),
            ]
            for list in same.map(\.match) { indicators.append(Indicator(name: "ioc.list", value: list.listName)) }
            let severity = same.compactMap(\.match.severity).max() ?? .high
            let lists = same.map(\.match.listName).joined(separator: ", ")
            findings.append(Finding(
                detectorID: detectorID, type: .ioc, title: "IOC match: \(kindName) \(match.indicator) (\(lists))",
                severity: severity, confidence: 0.9, indicators: indicators, eventIDs: [input.event.id],
                entities: Entities(of: input.event)))
        }
        return findings
    }
}
