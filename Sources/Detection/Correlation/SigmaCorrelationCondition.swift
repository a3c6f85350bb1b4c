/// A correlation's `condition`: one comparison of a count (events, distinct values or rules)
/// against a threshold, plus the field whose distinct values `value_count` counts.
public struct SigmaCorrelationCondition: Sendable, Equatable {
    public enum Operator: String, Sendable, Equatable, CaseIterable {
        case gt, gte, lt, lte, eq, neq
    }

    public var op: Operator
    public var threshold: Int
    /// Only for `value_count`: the (possibly aliased) field whose distinct values are counted.
    public var field: String?

    public init(op: Operator, threshold: Int, field: String? = nil) {
        self.op = op
        self.threshold = threshold
        self.field = field
    }

    public func holds(_ count: Int) -> Bool {
        switch op {
        case .gt: count > threshold
        case .gte: count >= threshold
        case .lt: count < threshold
        case .lte: count <= threshold
        case .eq: count == threshold
        case .neq: count != threshold
        }
    }
}
