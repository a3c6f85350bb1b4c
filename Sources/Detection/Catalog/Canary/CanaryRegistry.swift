import MWRASPCore
import Synchronization

/// The canaries MWRASP has minted: mints them, finds one by token in O(1) (a dictionary from
/// every token a canary carries to its id), records hits and turns each into a critical
/// finding. The records are Codable; the integrator persists `records()` and restores them with
/// `init(configuration:records:)`. Thread-safe (one `Mutex` around the state).
public final class CanaryRegistry: Sendable {
    public static let detectorID = "CANARY"
    /// Hits kept per canary in `recentHits`; `hitCount` counts them all.
    public static let recentHitsKept = 20

    public let configuration: CanaryConfiguration

    private struct State {
        var records: [String: CanaryToken] = [:]
        var byToken: [String: String] = [:]

        mutating func insert(_ record: CanaryToken) {
            records[record.id] = record
            byToken[record.token] = record.id
            if let second = record.secondaryToken { byToken[second] = record.id }
        }
    }

    private let state: Mutex<State>

    public init(configuration: CanaryConfiguration, records: [CanaryToken] = []) {
        self.configuration = configuration
        var s = State()
        for r in records { s.insert(r) }
        state = Mutex(s)
    }

    // MARK: minting

    /// Mints a canary of `kind`; `createdAt` is supplied by the caller (MWRASP's clock).
    @discardableResult
    public func mint(_ kind: CanaryKind, label: String, createdAt: Int64, username: String? = nil) -> CanaryToken {
        let token = CanaryTokenFormat.mint()
        var record = CanaryToken(id: Self.newID(), kind: kind, label: label, token: token, value: "", createdAt: createdAt)
        switch kind {
        case .url:
            record.value = "\(configuration.baseURL)/c/\(token)"
        case .apiKey:
            // Shaped like a vendor's live secret key so that whoever steals it tries it.
            record.value = "ak_live_\(token)"
        case .credential:
            let second = CanaryTokenFormat.mint()
            record.secondaryToken = second
            record.value = username ?? "svc-\(token)"
            record.secret = "Pw-\(second)"
        case .hostname:
            record.value = "\(token).\(configuration.domain)"
        }
        state.withLock { $0.insert(record) }
        return record
    }

    public func revoke(id: String) -> Bool {
        state.withLock { s in
            guard let r = s.records.removeValue(forKey: id) else { return false }
            s.byToken[r.token] = nil
            if let second = r.secondaryToken { s.byToken[second] = nil }
            return true
        }
    }

    // MARK: lookup

    /// The canary carrying `token` (either token of a credential), in O(1).
    public func lookup(token: String) -> CanaryToken? {
        state.withLock { s in s.byToken[token].flatMap { s.records[$0] } }
    }

    public func record(id: String) -> CanaryToken? {
        state.withLock { $0.records[id] }
    }

    /// Every record, oldest first, for persistence and listing.
    public func records() -> [CanaryToken] {
        state.withLock { Array($0.records.values) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public var count: Int { state.withLock { $0.records.count } }

    // MARK: hits

    /// `GET /c/{token}`: records the hit and returns the finding, or nil when no canary has this
    /// token. The HTTP handler should answer the same way either way (e.g. a 1×1 GIF or 404 for
    /// both), so probing the endpoint does not reveal which tokens are live.
    public func recordHit(token: String, remoteAddress: String?, userAgent: String?, at time: Int64) -> Finding? {
        let hit = CanaryHit(channel: "http", at: time, remoteAddress: remoteAddress, userAgent: userAgent)
        guard let record = register(hit, token: token.lowercased()) else { return nil }
        return Self.finding(record, hit: hit, eventIDs: [], entities: Entities(sourceIP: remoteAddress))
    }

    /// Records a hit on the canary carrying `token`; returns the updated record, or nil.
    func register(_ hit: CanaryHit, token: String) -> CanaryToken? {
        state.withLock { s in
            guard let id = s.byToken[token], var r = s.records[id] else { return nil }
            r.hitCount += 1
            r.recentHits.append(hit)
            if r.recentHits.count > Self.recentHitsKept { r.recentHits.removeFirst(r.recentHits.count - Self.recentHitsKept) }
            s.records[id] = r
            return r
        }
    }

    static func finding(_ r: CanaryToken, hit: CanaryHit, eventIDs: [EventID], entities: Entities) -> Finding {
        var indicators = [
            Indicator(name: "canary_id", value: r.id),
            Indicator(name: "canary_kind", value: r.kind.rawValue),
            Indicator(name: "canary_label", value: r.label),
            Indicator(name: "channel", value: hit.channel),
            Indicator(name: "hit_count", value: String(r.hitCount)),
        ]
        if let a = hit.remoteAddress { indicators.append(Indicator(name: "remote_address", value: a)) }
        if let ua = hit.userAgent { indicators.append(Indicator(name: "user_agent", value: ua)) }
        let how = hit.channel == "http" ? "requested" : "seen in ingested data"
        return Finding(
            detectorID: detectorID, type: .canary, title: "Canary \(r.kind.rawValue) \"\(r.label)\" \(how)",
            severity: .critical, confidence: 0.99, indicators: indicators, eventIDs: eventIDs, entities: entities)
    }

    /// `cnr_` + 64 random bits in hex: an id is not a secret, only unique.
    static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        let v: UInt64 = rng.next()
        let hex = String(v, radix: 16)
        return "cnr_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
