/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose whole sequence follows from its
/// seed. For what must be reproducible: randomized tests (a failure replays), benchmark data,
/// and ids seeded once from the system (`IncidentID`). Not for secrets.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A draw in `0..<bound` (modulo: the tiny bias does not matter for test data).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
