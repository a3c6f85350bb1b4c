import MWRASPCore
import Synchronization

/// The Sigma engine as a pipeline detector: evaluates the current rule set, which the
/// caller replaces whole (after POST/DELETE /v1/rules) with `replace(_:)`. Evaluation takes
/// the lock only to read the reference, so a replacement never waits for evaluations.
public final class SigmaEventDetector: EventDetector {
    private let current: Mutex<SigmaRuleSet>

    public init(_ rules: SigmaRuleSet) {
        current = Mutex(rules)
    }

    public var rules: SigmaRuleSet { current.withLock { $0 } }

    public func replace(_ rules: SigmaRuleSet) {
        current.withLock { $0 = rules }
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        rules.findings(input)
    }
}
