/// A statistic computed from sensor-submitted measurements, or why it could not be: senders
/// are not trusted to send sane numbers, and a nonsense measurement must neither crash the
/// pipeline nor count as a confirmation.
public enum QuantumStatistic: Sendable, Equatable {
    case value(Double)
    case absent
    case notComputable(String)

    public var number: Double? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// For indicators: the number, or `absent` / `not computable: <reason>`.
    public var text: String {
        switch self {
        case .value(let v): QuantumStatistic.format(v)
        case .absent: "absent"
        case .notComputable(let reason): "not computable: \(reason)"
        }
    }

    static func format(_ v: Double) -> String {
        let rounded = (v * 1e6).rounded() / 1e6
        return String(rounded)
    }
}

/// The validation statistics of QTD-001 (DESIGN.md §4), as pure functions over counts.
public enum QuantumMeasurements {
    /// Correlation of one setting pair: E = (N++ + N-- - N+- - N-+) / N, from the four
    /// coincidence counts `[n_pp, n_pm, n_mp, n_mm]`.
    public static func correlation(_ counts: [Double]) -> QuantumStatistic {
        guard counts.count == 4 else { return .notComputable("a setting pair needs 4 counts, got \(counts.count)") }
        guard counts.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return .notComputable("counts must be finite and non-negative") }
        let total = counts[0] + counts[1] + counts[2] + counts[3]
        guard total > 0 else { return .notComputable("zero total count") }
        return .value((counts[0] + counts[3] - counts[1] - counts[2]) / total)
    }

    /// CHSH: S = E(a,b) - E(a,b') + E(a',b) + E(a',b'). Local hidden-variable models keep
    /// |S| <= 2; quantum correlations reach 2·sqrt(2). The sign convention is the seed's, so a
    /// violation is S > 2 as computed (not |S|).
    public static func chsh(ab: [Double], abPrime: [Double], aPrimeB: [Double], aPrimeBPrime: [Double]) -> QuantumStatistic {
        var e: [Double] = []
        for (name, counts) in [("ab", ab), ("ab_", abPrime), ("a_b", aPrimeB), ("a_b_", aPrimeBPrime)] {
            switch correlation(counts) {
            case .value(let v): e.append(v)
            case .notComputable(let reason): return .notComputable("\(name): \(reason)")
            case .absent: return .absent
            }
        }
        return .value(e[0] - e[1] + e[2] + e[3])
    }

    /// Pearson's statistic sum((O - E)^2 / E). The seed's 3.841 is the 95% critical value for
    /// one degree of freedom (two cells); with more cells a deployment should override it.
    public static func chiSquared(observed: [Double], expected: [Double]) -> QuantumStatistic {
        guard observed.count == expected.count else {
            return .notComputable("observed has \(observed.count) cells, expected \(expected.count)")
        }
        guard observed.count >= 2 else { return .notComputable("needs at least 2 cells") }
        guard observed.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return .notComputable("observed counts must be finite and non-negative") }
        guard expected.allSatisfy({ $0.isFinite && $0 > 0 }) else { return .notComputable("expected counts must be finite and positive") }
        var sum = 0.0
        for i in observed.indices {
            let d = observed[i] - expected[i]
            sum += d * d / expected[i]
        }
        return .value(sum)
    }
}
