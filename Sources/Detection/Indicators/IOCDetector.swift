import MWRASPCore
import Synchronization

/// Matches every event's observables (IOCCandidateFields.swift) against the current
/// `IOCMatcher`. One finding per matched indicator (an indicator on several lists gives one
/// finding naming each list). The matcher is swapped whole by `update` when lists change;
/// evaluation only holds the lock to take a reference to it.
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
        let matcher = current.withLock { $0 }
        guard !matcher.isEmpty, let document = input.document else { return [] }
        var sightings: [(match: IOCMatch, observed: String, path: String)] = []
        var matches: [IOCMatch] = []
        IOCCandidateExtractor.forEach(document, input: input) { path, shape, value in
            matches.removeAll(keepingCapacity: true)
            switch shape {
            case .ip, .ipList: matcher.matchIP(value, into: &matches)
            case .domain: matcher.matchDomain(value, into: &matches)
            case .url: matcher.matchURL(value, into: &matches)
            case .hash, .hashObject, .algorithmPairs: matcher.matchHash(value, into: &matches)
            }
            for match in matches where !sightings.contains(where: { $0.match == match }) {
                sightings.append((match, value, path))
            }
        }
        return Self.findings(sightings, input: input)
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
