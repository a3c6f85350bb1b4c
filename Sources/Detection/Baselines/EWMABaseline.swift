/// Exponentially weighted mean and variance of one metric (Finch, "Incremental calculation
/// of weighted mean and variance", 2009): O(1) memory, recent samples weigh more, so the
/// baseline follows slow drift while a sudden spike stands out.
///
///     diff = x - mean;  incr = alpha * diff
///     mean += incr;     variance = (1 - alpha) * (variance + diff * incr)
///
/// The first sample sets the mean with variance 0.
public struct EWMABaseline: Sendable, Equatable, Codable {
    /// Weight of the newest sample, 0 < alpha <= 1 (0.1: roughly the last 10-20 samples count).
    public var alpha: Double
    public var mean: Double
    public var variance: Double
    /// Samples seen.
    public var count: Int

    public init(alpha: Double, mean: Double = 0, variance: Double = 0, count: Int = 0) {
        self.alpha = min(max(alpha, .leastNonzeroMagnitude), 1)
        self.mean = mean
        self.variance = variance
        self.count = count
    }

    public var standardDeviation: Double { variance.squareRoot() }

    public mutating func update(_ x: Double) {
        guard x.isFinite else { return }
        if count == 0 {
            mean = x
            variance = 0
        } else {
            let diff = x - mean
            let increment = alpha * diff
            mean += increment
            variance = (1 - alpha) * (variance + diff * increment)
        }
        count += 1
    }

    /// How many standard deviations `x` lies from the mean, judged against the baseline as it
    /// is (call before `update(x)`, so a spike does not dilute its own score). `floor` is the
    /// smallest standard deviation assumed: with a flat history (variance 0) and no floor,
    /// any change scores +-infinity and equality scores 0. Nil before any sample.
    public func zScore(_ x: Double, floor: Double = 0) -> Double? {
        guard count > 0 else { return nil }
        let deviation = max(standardDeviation, floor)
        let diff = x - mean
        if deviation == 0 { return diff == 0 ? 0 : (diff > 0 ? .infinity : -.infinity) }
        return diff / deviation
    }

    /// Whether at least `minSamples` samples were seen, so a judgement means something.
    public func isWarm(minSamples: Int) -> Bool { count >= minSamples }
}
