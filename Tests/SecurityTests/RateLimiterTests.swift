import Testing
import MWRASPCore
@testable import Security

@Suite struct RateLimiterTests {
    static let second: UInt64 = 1_000_000_000
    static let start: UInt64 = 1_000 * second

    @Test func burstThenRefusalWithRetryAfter() {
        let limiter = RateLimiter(ratePerSecond: 2, burst: 5)
        for expectedRemaining in (0..<5).reversed() {
            #expect(limiter.take(key: "tok", now: Self.start)
                == .init(allowed: true, retryAfterSeconds: 0, remaining: expectedRemaining))
        }
        // Empty: one token takes 0.5 s at 2/s, rounded up to 1 s.
        #expect(limiter.take(key: "tok", now: Self.start) == .init(allowed: false, retryAfterSeconds: 1, remaining: 0))
        // A cost of 5 needs 2.5 s -> 3.
        #expect(limiter.take(key: "tok", cost: 5, now: Self.start).retryAfterSeconds == 3)
    }

    @Test func retryAfterRoundsUpPartialWaits() {
        let limiter = RateLimiter(ratePerSecond: 0.1, burst: 1)  // one request per 10 s
        #expect(limiter.take(key: "k", now: Self.start).allowed)
        #expect(limiter.take(key: "k", now: Self.start).retryAfterSeconds == 10)
        #expect(limiter.take(key: "k", now: Self.start + 3 * Self.second + 1).retryAfterSeconds == 7)
        #expect(limiter.take(key: "k", now: Self.start + 9_500_000_000).retryAfterSeconds == 1)
        #expect(limiter.take(key: "k", now: Self.start + 10 * Self.second).allowed)
    }

    @Test func refillsOverTimeUpToBurst() {
        let limiter = RateLimiter(ratePerSecond: 10, burst: 3)
        for _ in 0..<3 { #expect(limiter.take(key: "k", now: Self.start).allowed) }
        #expect(!limiter.take(key: "k", now: Self.start).allowed)
        // 100 ms -> exactly one token.
        let later = Self.start + Self.second / 10
        #expect(limiter.take(key: "k", now: later) == .init(allowed: true, retryAfterSeconds: 0, remaining: 0))
        #expect(!limiter.take(key: "k", now: later).allowed)
        // A long idle refills to burst, not beyond.
        let muchLater = later + 3600 * Self.second
        #expect(limiter.take(key: "k", now: muchLater).remaining == 2)
        #expect(limiter.take(key: "k", now: muchLater).remaining == 1)
        #expect(limiter.take(key: "k", now: muchLater).remaining == 0)
        #expect(!limiter.take(key: "k", now: muchLater).allowed)
    }

    @Test func clockGoingBackwardsGivesNothing() {
        let limiter = RateLimiter(ratePerSecond: 1, burst: 1)
        #expect(limiter.take(key: "k", now: Self.start).allowed)
        #expect(!limiter.take(key: "k", now: Self.start - 5 * Self.second).allowed)
        #expect(!limiter.take(key: "k", now: Self.start + Self.second / 2).allowed)
        #expect(limiter.take(key: "k", now: Self.start + Self.second).allowed)
    }

    @Test func keysAreIndependent() {
        let limiter = RateLimiter(ratePerSecond: 1, burst: 2)
        #expect(limiter.take(key: "a", now: Self.start).allowed)
        #expect(limiter.take(key: "a", now: Self.start).allowed)
        #expect(!limiter.take(key: "a", now: Self.start).allowed)
        #expect(limiter.take(key: "b", now: Self.start).allowed)
        #expect(limiter.take(key: "b", now: Self.start).allowed)
        #expect(!limiter.take(key: "b", now: Self.start).allowed)
        #expect(limiter.take(key: "c", now: Self.start).remaining == 1)
    }

    @Test func costAboveBurstIsRefusedWithoutConsuming() {
        let limiter = RateLimiter(ratePerSecond: 1, burst: 3)
        #expect(limiter.take(key: "k", cost: 4, now: Self.start) == .init(allowed: false, retryAfterSeconds: 1, remaining: 3))
        #expect(limiter.take(key: "k", cost: 3, now: Self.start).allowed)
        #expect(limiter.take(key: "k", cost: 0, now: Self.start).allowed)
    }

    @Test func idleFullBucketsAreDropped() {
        let limiter = RateLimiter(ratePerSecond: 1, burst: 2, maxKeys: 1_000_000)
        var now = Self.start
        for i in 0..<100_000 {
            _ = limiter.take(key: "key-\(i)", now: now)
            now += Self.second / 100  // each bucket is full again 1 s (100 keys) later
        }
        // Only buckets touched within the last second, plus what accumulated since the last sweep.
        #expect(limiter.bucketCount < 16 * 64 * 2 + 100)
    }

    @Test func activeKeysNeverExceedTheBound() {
        let limiter = RateLimiter(ratePerSecond: 0.001, burst: 10, maxKeys: 1_000)
        for i in 0..<50_000 {
            _ = limiter.take(key: "flood-\(i)", now: Self.start)
            if i % 997 == 0 { #expect(limiter.bucketCount <= 1_008) }
        }
        #expect(limiter.bucketCount <= 1_008)  // 16 shards x ceil(1000 / 16)
        #expect(limiter.bucketCount > 500)
    }

    @Test func droppingIdleBucketsChangesNoDecision() {
        // Against a model that keeps every bucket forever: sweeping must be invisible.
        let limiter = RateLimiter(ratePerSecond: 5, burst: 3)
        var model = ModelLimiter(ratePerSecond: 5, burst: 3)
        var now = Self.start
        var rng = SplitMix64(seed: 42)
        for _ in 0..<50_000 {
            let key = "k\(rng.next() % 2_000)"
            let cost = Int(rng.next() % 3)
            now += rng.next() % (Self.second / 200)
            let expected = model.take(key: key, cost: cost, now: now)
            let actual = limiter.take(key: key, cost: cost, now: now)
            if actual != expected {
                Issue.record("\(key) at \(now): \(actual) != \(expected)")
                return
            }
        }
        #expect(limiter.bucketCount < model.buckets.count)  // sweeps did happen
    }
}

/// The plain token bucket, never forgetting a key.
struct ModelLimiter {
    let ratePerSecond: Double
    let burst: Int
    var buckets: [String: (tokens: Double, last: UInt64)] = [:]

    mutating func take(key: String, cost: Int, now: UInt64) -> RateLimiter.Decision {
        var bucket = buckets[key] ?? (Double(burst), now)
        bucket.tokens = min(Double(burst), bucket.tokens + Double(now - bucket.last) * (ratePerSecond / 1e9))
        bucket.last = now
        defer { buckets[key] = bucket }
        if bucket.tokens >= Double(cost) {
            bucket.tokens -= Double(cost)
            return .init(allowed: true, retryAfterSeconds: 0, remaining: Int(bucket.tokens))
        }
        let wait = ((Double(min(cost, burst)) - bucket.tokens) / ratePerSecond).rounded(.up)
        return .init(allowed: false, retryAfterSeconds: max(1, Int(wait)), remaining: Int(bucket.tokens))
    }
}

