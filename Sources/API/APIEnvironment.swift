import Glibc
import Ingestion
import MWRASPCore
import Pipeline
import Security
import Storage

/// Wall-clock and monotonic time, injectable so tests can move time.
public struct APIClock: Sendable {
    public var nowMilliseconds: @Sendable () -> Int64
    public var monotonicNanoseconds: @Sendable () -> UInt64

    public init(nowMilliseconds: @escaping @Sendable () -> Int64, monotonicNanoseconds: @escaping @Sendable () -> UInt64) {
        self.nowMilliseconds = nowMilliseconds
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    public static let system = APIClock(
        nowMilliseconds: {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
        },
        monotonicNanoseconds: {
            var spec = timespec()
            clock_gettime(CLOCK_MONOTONIC, &spec)
            return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
        })
}

/// How ingestion behaves in this deployment.
public struct IngestSettings: Sendable {
    /// Which fields make two alerts "the same" for dedup.
    public var fingerprinter: Fingerprinter
    /// `X-MWRASP-Signature` secrets; nil when signing is not configured.
    public var signature: WebhookSignature?
    /// Refuse ingest requests without a valid signature (a token alone is not enough).
    public var requireSignature: Bool
    /// Largest single event (one NDJSON line, one alert).
    public var maxEventBytes: Int

    public init(fingerprinter: Fingerprinter, signature: WebhookSignature? = nil, requireSignature: Bool = false, maxEventBytes: Int = 1 << 20) {
        self.fingerprinter = fingerprinter
        self.signature = signature
        self.requireSignature = requireSignature
        self.maxEventBytes = maxEventBytes
    }
}

/// Everything the API's handlers need, built once by the executable.
public struct APIEnvironment: Sendable {
    public var store: any Store
    public var tokens: TokenRegistry
    public var rateLimiter: RateLimiter?
    public var ingest: IngestSettings
    public var clock: APIClock
    /// Detectors, incidents, canaries; nil on a server started without detection (some tests).
    public var detection: DetectionRuntime?

    public init(store: any Store, tokens: TokenRegistry, rateLimiter: RateLimiter?, ingest: IngestSettings, clock: APIClock = .system,
                detection: DetectionRuntime? = nil) {
        self.detection = detection
        self.store = store
        self.tokens = tokens
        self.rateLimiter = rateLimiter
        self.ingest = ingest
        self.clock = clock
    }
}
