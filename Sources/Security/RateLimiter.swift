import Dispatch
import Synchronization

/// Token-bucket rate limiting per key (token id): `rate` tokens per second, bucket of `burst`.
///
/// Thread-safe and cheap: keys are spread over 16 shards, each a `Mutex` around a dictionary,
/// so threads working on different keys rarely wait on each other, and the critical section is
/// one dictionary probe and a few floating-point operations.
///
/// Memory stays bounded two ways. A bucket left idle long enough to refill completely is the
/// same as no bucket at all, so dropping it changes no decision; shards sweep those out when
/// they grow. If more than `maxKeys` keys are still active, the least recently used are dropped
/// (they come back with a full bucket: the limiter fails open for them rather than letting a
/// flood of keys lock everyone else out).
public final class RateLimiter: Sendable {
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// 0 when allowed; otherwise the wait until `cost` tokens are available, rounded up to
        /// whole seconds, at least 1 (the value for a `Retry-After` header).
        public var retryAfterSeconds: Int
        /// Whole tokens left after this call.
        public var remaining: Int

        public init(allowed: Bool, retryAfterSeconds: Int, remaining: Int) {
            self.allowed = allowed
            self.retryAfterSeconds = retryAfterSeconds
            self.remaining = remaining
        }
    }

    private struct Bucket {
        var tokens: Double
        var last: UInt64
    }

    private struct Shard {
        var buckets: [String: Bucket] = [:]
        /// Sweep when the shard reaches this size; doubled after each sweep (amortised O(1)).
        var sweepAt: Int
    }

    /// A class per shard because `Mutex` is not copyable and so cannot live in an Array.
    private final class ShardBox: Sendable {
        let shard: Mutex<Shard>
        init(sweepAt: Int) { shard = Mutex(Shard(sweepAt: sweepAt)) }
    }

    static let shardCount = 16
    private static let minSweep = 64

    public let ratePerSecond: Double
    public let burst: Int
    public let maxKeys: Int
    private let ratePerNanosecond: Double
    private let maxPerShard: Int
    private let shards: [ShardBox]

    /// - Parameters:
    ///   - ratePerSecond: refill rate; must be > 0.
    ///   - burst: bucket size, the most requests allowed at once; must be >= 1.
    ///   - maxKeys: upper bound on the buckets kept (about, rounded up to a multiple of 16).
    public init(ratePerSecond: Double, burst: Int, maxKeys: Int = 100_000) {
        precondition(ratePerSecond > 0 && ratePerSecond.isFinite, "rate limit must be a positive number")
        precondition(burst >= 1, "rate limit burst must be at least 1")
        precondition(maxKeys >= 1, "maxKeys must be at least 1")
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.maxKeys = maxKeys
        self.ratePerNanosecond = ratePerSecond / 1e9
        self.maxPerShard = (maxKeys + Self.shardCount - 1) / Self.shardCount
        let sweepAt = min(Self.minSweep, maxPerShard)
        self.shards = (0..<Self.shardCount).map { _ in ShardBox(sweepAt: sweepAt) }
    }

    /// `now` in nanoseconds (monotonic) so tests can drive time. A `now` older than the bucket's
    /// last update (threads read the clock, then race for the lock) counts as no time passing.
    ///
    /// A cost above `burst` can never be met; it is refused with the wait until the bucket is
    /// full, so a client retrying it does not hammer the server.
    public func take(key: String, cost: Int = 1, now: UInt64) -> Decision {
        let cost = Double(max(cost, 0))  // A negative cost must not mint tokens.
        let burst = Double(self.burst)
        let box = shards[Int(UInt(bitPattern: key.hashValue) % UInt(Self.shardCount))]
        return box.shard.withLock { shard in
            if shard.buckets.count >= shard.sweepAt, shard.buckets[key] == nil {
                sweep(&shard, now: now)
            }
            // Mutated in place through the dictionary's `default:` subscript: one hash of the
            // key per call. A new key starts full.
            return decide(&shard.buckets[key, default: Bucket(tokens: burst, last: now)], cost: cost, now: now)
        }
    }

    private func decide(_ bucket: inout Bucket, cost: Double, now: UInt64) -> Decision {
        let burst = Double(self.burst)
        let elapsed = now > bucket.last ? now - bucket.last : 0
        bucket.tokens = min(burst, bucket.tokens + Double(elapsed) * ratePerNanosecond)
        bucket.last = max(bucket.last, now)

        if bucket.tokens >= cost {
            bucket.tokens -= cost
            return Decision(allowed: true, retryAfterSeconds: 0, remaining: Int(bucket.tokens))
        }
        let wait = (min(cost, burst) - bucket.tokens) / ratePerSecond
        // Clamp before converting: a tiny rate could make the wait exceed Int.
        let seconds = min(wait.rounded(.up), 1e9)
        return Decision(allowed: false, retryAfterSeconds: max(1, Int(seconds)), remaining: Int(bucket.tokens))
    }

    /// `take` with the process's monotonic clock.
    public func take(key: String, cost: Int = 1) -> Decision {
        take(key: key, cost: cost, now: DispatchTime.now().uptimeNanoseconds)
    }

    /// Buckets currently kept, for tests and metrics.
    public var bucketCount: Int {
        shards.reduce(0) { sum, box in sum + box.shard.withLock { $0.buckets.count } }
    }

    /// Drops buckets that have refilled completely (no decision changes), then, if the shard is
    /// still near its share of `maxKeys`, the least recently used down to three quarters of it.
    private func sweep(_ shard: inout Shard, now: UInt64) {
        let burst = Double(self.burst)
        let rate = ratePerNanosecond
        shard.buckets = shard.buckets.filter { _, bucket in
            let elapsed = now > bucket.last ? now - bucket.last : 0
            return bucket.tokens + Double(elapsed) * rate < burst
        }
        // At the cap, always free a quarter: freeing only a bucket or two would make the next
        // new key sweep again, O(n) per request.
        let keep = maxPerShard * 3 / 4
        if shard.sweepAt >= maxPerShard && shard.buckets.count > keep {
            let newest = shard.buckets.sorted { $0.value.last > $1.value.last }.prefix(keep)
            shard.buckets = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
        }
        // Next sweep once the shard has doubled, capped at the bound so it is never exceeded.
        shard.sweepAt = min(max(shard.buckets.count * 2, Self.minSweep), maxPerShard)
    }
}
