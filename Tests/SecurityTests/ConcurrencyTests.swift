import Dispatch
import Synchronization
import Testing
@testable import Security

/// Many threads on the hot calls at once: no crash, no lost update, exact totals.
@Suite struct ConcurrencyTests {
    @Test func manyThreadsAuthenticateAndTake() {
        let registry = TokenRegistry()
        let secrets = (0..<8).map { _ in TokenSecret.generate() }
        for (i, secret) in secrets.enumerated() {
            registry.add(id: "t\(i)", name: "n\(i)", role: .responder, secretHash: secret.hash)
        }
        // Time frozen: exactly `burst` takes per key can succeed, however the threads interleave.
        let limiter = RateLimiter(ratePerSecond: 1, burst: 1_000)
        let allowed = Atomic<Int>(0)
        let authenticated = Atomic<Int>(0)
        let threads = 16, iterations = 2_000

        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in 0..<iterations {
                let secret = secrets[(thread + i) % secrets.count]
                if registry.authenticate(secret.plaintext, now: Int64(i)) != nil {
                    authenticated.add(1, ordering: .relaxed)
                }
                if limiter.take(key: "t\((thread + i) % secrets.count)", now: 1_000).allowed {
                    allowed.add(1, ordering: .relaxed)
                }
                if i % 500 == 0 { _ = registry.drainLastUsed() }
            }
        }
        #expect(authenticated.load(ordering: .relaxed) == threads * iterations)
        #expect(allowed.load(ordering: .relaxed) == secrets.count * 1_000)
    }

    @Test func revokeWhileAuthenticating() {
        let registry = TokenRegistry()
        let secret = TokenSecret.generate()
        registry.add(id: "t", name: "n", role: .ingest, secretHash: secret.hash)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for i in 0..<5_000 {
                if thread == 0 && i == 2_500 { registry.revoke(id: "t") }
                _ = registry.authenticate(secret.plaintext, now: Int64(i))
            }
        }
        #expect(registry.authenticate(secret.plaintext, now: 0) == nil)
    }
}
