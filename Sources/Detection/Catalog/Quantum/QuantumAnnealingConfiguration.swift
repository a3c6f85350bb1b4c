/// QTD-003's numbers. The seed gives the rule (2 indicators of 3) but no convergence threshold;
/// `convergenceSpeedup` is MWRASP's documented default.
public struct QuantumAnnealingConfiguration: Sendable, Equatable {
    public static let detectorID = "QTD-003"

    /// Seed: detected with at least 2 of the 3 indicators.
    public var minIndicators = 2
    /// Ising structure needs at least this many pairwise couplings.
    public var minCouplings = 1
    /// An annealing schedule has at least this many steps.
    public var minScheduleSteps = 3
    /// Convergence indicator: baseline_iterations / iterations strictly above this.
    public var convergenceSpeedup = 10.0

    public init() {}

    public init(_ t: CatalogThresholds) {
        minIndicators = Int(t.value("min_indicators", default: Double(minIndicators)))
        minCouplings = Int(t.value("min_couplings", default: Double(minCouplings)))
        minScheduleSteps = Int(t.value("min_schedule_steps", default: Double(minScheduleSteps)))
        convergenceSpeedup = t.value("convergence_speedup", default: convergenceSpeedup)
    }
}
