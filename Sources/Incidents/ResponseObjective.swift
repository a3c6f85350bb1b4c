import MWRASPCore

/// The seed's response-time objectives by severity: critical < 100 ms to an automated response,
/// high < 1 s to a human notification, medium < 5 min to an investigation, low < 1 h to being
/// logged and tracked. `info` has no objective (the seed names none).
public struct ResponseObjective: Sendable, Equatable {
    public var milestone: Milestone
    public var budget: Int64

    public static func forSeverity(_ severity: Severity) -> ResponseObjective? {
        switch severity {
        case .critical: ResponseObjective(milestone: .firstAutomatedAction, budget: 100)
        case .high: ResponseObjective(milestone: .notification, budget: 1_000)
        case .medium: ResponseObjective(milestone: .investigation, budget: 300_000)
        case .low: ResponseObjective(milestone: .logged, budget: 3_600_000)
        case .info: nil
        }
    }
}
