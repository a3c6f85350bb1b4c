import Ingestion
import MWRASPCore

/// Finds minted canary tokens anywhere in an ingested event: its normalized document and its
/// original bytes (an adapter may not carry every byte of the original into the document).
/// One linear scan per byte array for the shared prefix (`CanaryTokenFormat`), then one hash
/// lookup per candidate, so the cost does not grow with the number of canaries. Each distinct
/// canary seen gives one critical finding and counts as a hit.
public final class CanaryDetector: EventDetector {
    public let registry: CanaryRegistry

    public init(registry: CanaryRegistry) {
        self.registry = registry
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        // No canary minted (the default): no token can be found, so skip the scans.
        guard registry.count > 0 else { return [] }
        let event = input.event
        var tokens = CanaryTokenFormat.candidates(in: event.document)
        if event.original != event.document { tokens += CanaryTokenFormat.candidates(in: event.original) }
        guard !tokens.isEmpty else { return [] }
        var seen = Set<String>()
        var findings: [Finding] = []
        for token in tokens {
            guard let record = registry.lookup(token: token), seen.insert(record.id).inserted else { continue }
            let hit = CanaryHit(channel: "event", at: event.timestamp, remoteAddress: event.sourceIP, eventID: event.id.description)
            guard let updated = registry.register(hit, token: token) else { continue }
            var f = CanaryRegistry.finding(updated, hit: hit, eventIDs: [event.id], entities: Entities(of: event))
            f.indicators.append(Indicator(name: "dataset", value: event.dataset ?? "-"))
            findings.append(f)
        }
        return findings
    }
}
