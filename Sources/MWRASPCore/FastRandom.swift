import Synchronization

/// xoshiro256** (Blackman and Vigna): event ids need 80 random bits each at several hundred
/// thousand events a second, more than `SystemRandomNumberGenerator` (a getrandom call per
/// draw) should pay for. Seeded once from the system generator, so ids stay unpredictable
/// enough to be unique across nodes; they are not secrets.
public struct FastRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeded from a process-wide generator, itself seeded once from the system: four
    /// getrandom(2) calls per request (an IngestContext each) were 1% of a POST's CPU.
    public init() {
        self = Self.seeds.withLock { parent in
            var child = FastRandom(unseeded: ())
            repeat {
                child.s0 = parent.next(); child.s1 = parent.next(); child.s2 = parent.next(); child.s3 = parent.next()
            } while child.s0 | child.s1 | child.s2 | child.s3 == 0  // the all-zero state is a fixed point
            return child
        }
    }

    private init(unseeded: Void) {
        s0 = 0; s1 = 0; s2 = 0; s3 = 0
    }

    private init(system: Void) {
        var system = SystemRandomNumberGenerator()
        repeat {
            s0 = system.next(); s1 = system.next(); s2 = system.next(); s3 = system.next()
        } while s0 | s1 | s2 | s3 == 0
    }

    private static let seeds = Mutex(FastRandom(system: ()))

    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
