/// Threshold comparisons that survive floating point. Weighted sums such as 0.4 + 0.3 + 0.3
/// and statistics computed from counts can land a few ulps off the decimal the seed wrote
/// (3.841, 2.0, 0.85), so every comparison against a configured threshold allows this much.
/// The tolerance is far below any meaningful difference (the seed's thresholds have at most
/// three decimals), so `2.0` stays "no violation" and `2.01` is one.
public enum CatalogCompare {
    public static let tolerance = 1e-9

    /// `value >= threshold`, counting a value a rounding error below as equal.
    @inline(__always)
    public static func atLeast(_ value: Double, _ threshold: Double) -> Bool {
        value >= threshold - tolerance
    }

    /// `value > threshold`, counting a value a rounding error above as equal (so not greater).
    @inline(__always)
    public static func above(_ value: Double, _ threshold: Double) -> Bool {
        value > threshold + tolerance
    }

    /// `value < threshold`, strictly, with the same tolerance.
    @inline(__always)
    public static func below(_ value: Double, _ threshold: Double) -> Bool {
        value < threshold - tolerance
    }

    /// Confidence for a finding: clamped to 0...1 and rounded to 9 decimals so that 0.7 sent
    /// as 0.7000000000000001 reads back as 0.7.
    public static func confidence(_ value: Double) -> Double {
        let clamped = min(1, max(0, value))
        return (clamped * 1e9).rounded() / 1e9
    }
}
