import MWRASPCore

/// What a baseline measures per entity. Codable as `{"type":"count","intervalSeconds":60}`
/// or `{"type":"field","path":"network.bytes"}`.
public enum BaselineValue: Sendable, Equatable, Codable {
    /// Events per entity per interval: a bucket is closed (and judged) once an event of that
    /// entity falls in a later interval.
    case count(intervalSeconds: Int)
    /// A numeric field of each event (numbers, or strings holding numbers).
    case field(path: String)

    private enum CodingKeys: String, CodingKey { case type, intervalSeconds, path }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "count":
            let seconds = try container.decode(Int.self, forKey: .intervalSeconds)
            guard seconds > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .intervalSeconds, in: container, debugDescription: "must be positive")
            }
            self = .count(intervalSeconds: seconds)
        case "field":
            self = .field(path: try container.decode(String.self, forKey: .path))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "'\(other)' is not count or field")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .count(let seconds):
            try container.encode("count", forKey: .type)
            try container.encode(seconds, forKey: .intervalSeconds)
        case .field(let path):
            try container.encode("field", forKey: .type)
            try container.encode(path, forKey: .path)
        }
    }
}

/// Which deviations fire.
public enum BaselineDirection: String, Sendable, Equatable, Codable {
    /// Only higher than usual (z >= threshold): bursts, exfiltration volumes.
    case above
    /// Only lower than usual (z <= -threshold).
    case below
    /// Either way (|z| >= threshold).
    case both
}

/// One baseline, as it lives in config/catalog files. Every key but `metric`, `entityField`
/// and `value` may be omitted and takes the default below.
public struct BaselineSpec: Sendable, Equatable, Codable {
    /// The finding's detectorID; `BASELINE` when absent.
    public var id: String?
    /// Name in findings (`logons_per_minute`).
    public var metric: String
    /// Dotted path of the entity the metric is kept for (`host.name`, `source.ip`).
    public var entityField: String
    public var value: BaselineValue
    /// Sigmas from the mean that fire; a z exactly at the threshold fires (>=). Default 3.
    public var threshold: Double
    /// EWMA weight. Default 0.1: about the last 20 samples dominate, slow enough that one
    /// spike barely moves the mean, quick enough to follow a daily drift at 1-minute buckets.
    public var alpha: Double
    /// Warm-up: samples an entity needs before it is judged. Default 10.
    public var minSamples: Int
    public var direction: BaselineDirection
    /// Smallest standard deviation assumed (see `EWMABaseline.zScore`). Default 0; set it
    /// (e.g. 1 for counts) to keep a perfectly flat history from firing on +1.
    public var minStandardDeviation: Double
    /// Count metrics: how many empty intervals between two events are fed as zeros; a longer
    /// silence feeds only this many. Default 60.
    public var maxEmptyIntervals: Int
    /// Entities tracked; past it the least recently seen are forgotten. Default 10,000.
    public var maxEntities: Int
    public var severity: Severity

    public init(id: String? = nil, metric: String, entityField: String, value: BaselineValue, threshold: Double = 3,
                alpha: Double = 0.1, minSamples: Int = 10, direction: BaselineDirection = .above,
                minStandardDeviation: Double = 0, maxEmptyIntervals: Int = 60, maxEntities: Int = 10_000,
                severity: Severity = .medium) {
        self.id = id
        self.metric = metric
        self.entityField = entityField
        self.value = value
        self.threshold = threshold
        self.alpha = alpha
        self.minSamples = max(1, minSamples)
        self.direction = direction
        self.minStandardDeviation = max(0, minStandardDeviation)
        self.maxEmptyIntervals = max(0, maxEmptyIntervals)
        self.maxEntities = max(1, maxEntities)
        self.severity = severity
    }

    private enum CodingKeys: String, CodingKey {
        case id, metric, entityField, value, threshold, alpha, minSamples, direction, minStandardDeviation
        case maxEmptyIntervals, maxEntities, severity
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BaselineSpec(metric: "", entityField: "", value: .count(intervalSeconds: 60))
        let alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? defaults.alpha
        guard alpha > 0, alpha <= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .alpha, in: c, debugDescription: "must be in (0, 1]")
        }
        self.init(
            id: try c.decodeIfPresent(String.self, forKey: .id),
            metric: try c.decode(String.self, forKey: .metric),
            entityField: try c.decode(String.self, forKey: .entityField),
            value: try c.decode(BaselineValue.self, forKey: .value),
            threshold: try c.decodeIfPresent(Double.self, forKey: .threshold) ?? defaults.threshold,
            alpha: alpha,
            minSamples: try c.decodeIfPresent(Int.self, forKey: .minSamples) ?? defaults.minSamples,
            direction: try c.decodeIfPresent(BaselineDirection.self, forKey: .direction) ?? defaults.direction,
            minStandardDeviation: try c.decodeIfPresent(Double.self, forKey: .minStandardDeviation) ?? defaults.minStandardDeviation,
            maxEmptyIntervals: try c.decodeIfPresent(Int.self, forKey: .maxEmptyIntervals) ?? defaults.maxEmptyIntervals,
            maxEntities: try c.decodeIfPresent(Int.self, forKey: .maxEntities) ?? defaults.maxEntities,
            severity: try Self.decodeSeverity(c) ?? defaults.severity)
    }

    /// Config files say `"severity": "high"`; `Severity`'s own Codable form (0...4) works too.
    private static func decodeSeverity(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Severity? {
        guard c.contains(.severity) else { return nil }
        if let word = try? c.decode(String.self, forKey: .severity) {
            guard let severity = Severity(vendor: word) else {
                throw DecodingError.dataCorruptedError(forKey: .severity, in: c, debugDescription: "'\(word)' is not a severity")
            }
            return severity
        }
        return try c.decode(Severity.self, forKey: .severity)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(metric, forKey: .metric)
        try c.encode(entityField, forKey: .entityField)
        try c.encode(value, forKey: .value)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(minSamples, forKey: .minSamples)
        try c.encode(direction, forKey: .direction)
        try c.encode(minStandardDeviation, forKey: .minStandardDeviation)
        try c.encode(maxEmptyIntervals, forKey: .maxEmptyIntervals)
        try c.encode(maxEntities, forKey: .maxEntities)
        try c.encode(severity.name, forKey: .severity)
    }

    /// Whether a z-score is a deviation this spec reports (boundary included).
    public func isAnomalous(_ z: Double) -> Bool {
        switch direction {
        case .above: z >= threshold
        case .below: z <= -threshold
        case .both: abs(z) >= threshold
        }
    }
}
