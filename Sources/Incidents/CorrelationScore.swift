import MWRASPCore

/// How strongly two findings look like one incident: `1 − Π(1 − w_e)` over the entities they
/// share (see `CorrelationWeights` for the weights and why).
///
/// Held exactly: `remaining` is `Π(1000 − w_e)` over all four kinds in thousandths (an unshared
/// kind contributes 1000), so the score is `1 − remaining / 10¹²` and comparisons with the
/// threshold are integer arithmetic.
public struct CorrelationScore: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The entities both findings carry with equal (normalized) values.
    public let shared: [EntityKind]
    let remaining: Int64

    static let scale: Int64 = 1_000_000_000_000

    public init(_ a: Entities, _ b: Entities, weights: CorrelationWeights) {
        let shared = EntityKind.allCases.filter { kind in
            guard let left = a.correlationKey(kind) else { return false }
            return left == b.correlationKey(kind)
        }
        self.init(shared: shared, weights: weights)
    }

    public init(shared: [EntityKind], weights: CorrelationWeights) {
        self.init(shared: SharedKinds(shared), weights: weights)
    }

    public init(shared: SharedKinds, weights: CorrelationWeights) {
        self.shared = shared.kinds
        remaining = Self.remaining(shared, weights)
    }

    /// 1 − score, scaled: Π(1 − w) over the shared kinds, in thousandths per kind.
    static func remaining(_ shared: SharedKinds, _ weights: CorrelationWeights) -> Int64 {
        // The same actor, target, account and machine: the same activity by definition,
        // whatever weights a deployment configures.
        if shared.rawValue == 0b1111 { return 0 }
        var product: Int64 = 1
        for kind in EntityKind.allCases {
            product *= shared.contains(kind) ? 1000 - weights.permille(kind) : 1000
        }
        return product
    }

    /// `joins` without building the score: for the correlation loop.
    static func joins(_ shared: SharedKinds, remaining: Int64, _ weights: CorrelationWeights) -> Bool {
        shared.rawValue != 0 && remaining < (1000 - weights.thresholdPermille) * (scale / 1000)
    }

    /// 0...1.
    public var value: Double { 1 - Double(remaining) / Double(Self.scale) }

    /// Strictly above the threshold: `score > t` ⇔ `remaining < (1000 − t) · 10⁹`.
    public func joins(_ weights: CorrelationWeights) -> Bool {
        !shared.isEmpty && remaining < (1000 - weights.thresholdPermille) * (Self.scale / 1000)
    }

    public static func < (lhs: CorrelationScore, rhs: CorrelationScore) -> Bool { lhs.remaining > rhs.remaining }

    public var description: String {
        let rounded = (value * 1000).rounded() / 1000
        return "\(rounded) on " + (shared.isEmpty ? "nothing" : shared.map(\.rawValue).joined(separator: ", "))
    }
}
