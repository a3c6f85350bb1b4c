/// What a canary looks like where it is planted.
public enum CanaryKind: String, Sendable, Codable, CaseIterable {
    /// A URL whose path is `/c/{token}`: a hit is a request to it.
    case url
    /// A string shaped like a live API key (`ak_live_<token>`).
    case apiKey = "api_key"
    /// A username and password pair, both carrying a token.
    case credential
    /// `<token>.<canary domain>`: seen in DNS or proxy logs when something resolves it.
    case hostname
}

/// One recorded use of a canary.
public struct CanaryHit: Sendable, Codable, Equatable {
    /// `http` (a request to `/c/{token}`) or `event` (the token seen in ingested data).
    public var channel: String
    public var at: Int64
    public var remoteAddress: String?
    public var userAgent: String?
    /// The event it was seen in, for `event` hits.
    public var eventID: String?

    public init(channel: String, at: Int64, remoteAddress: String? = nil, userAgent: String? = nil, eventID: String? = nil) {
        self.channel = channel
        self.at = at
        self.remoteAddress = remoteAddress
        self.userAgent = userAgent
        self.eventID = eventID
    }
}

/// A minted canary, as persisted. `token` is the 30-character core every form embeds
/// (`CanaryTokenFormat`); a credential has a second one, `secondaryToken`, in its password so
/// either half gives it away.
public struct CanaryToken: Sendable, Codable, Equatable {
    public var id: String
    public var kind: CanaryKind
    public var label: String
    public var token: String
    public var secondaryToken: String?
    /// What to plant: the URL, the API key, the username, the hostname.
    public var value: String
    /// The password of a credential canary.
    public var secret: String?
    /// Milliseconds since the epoch.
    public var createdAt: Int64
    public var hitCount: Int
    /// The most recent hits, newest last, at most `CanaryRegistry.recentHitsKept`.
    public var recentHits: [CanaryHit]

    public init(id: String, kind: CanaryKind, label: String, token: String, secondaryToken: String? = nil,
                value: String, secret: String? = nil, createdAt: Int64, hitCount: Int = 0, recentHits: [CanaryHit] = []) {
        self.id = id
        self.kind = kind
        self.label = label
        self.token = token
        self.secondaryToken = secondaryToken
        self.value = value
        self.secret = secret
        self.createdAt = createdAt
        self.hitCount = hitCount
        self.recentHits = recentHits
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, label, token, value, secret
        case secondaryToken = "secondary_token"
        case createdAt = "created_at"
        case hitCount = "hit_count"
        case recentHits = "recent_hits"
    }
}
