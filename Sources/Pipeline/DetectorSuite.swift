import Detection
import MWRASPCore
import Synchronization

/// Every detector the pipeline runs on an event, in one `FindingEngine`, in this order:
/// Sigma rules, then Sigma correlation over the rules that matched, IOC lists, EWMA baselines,
/// and the catalog (QTD-001/002/003, COMP-001, canaries).
///
/// Rule sets and IOC lists change while the server runs (`/v1/rules`, `/v1/iocs`): each is an
/// immutable compiled snapshot swapped whole under a lock, so an event is judged by one
/// consistent set and never waits for a compilation.
public final class DetectorSuite: FindingEngine {
    private let rules: Mutex<CompiledRules>
    private let ioc: IOCDetector
    private let baselines: BaselineDetector
    private let catalog: CatalogDetectors.Instances

    /// The compiled Sigma rules and the correlation engine over them. Replaced together: a
    /// correlation rule names base rules of the set it was built with.
    public struct CompiledRules: Sendable {
        public var sigma: SigmaRuleSet
        public var correlation: SigmaCorrelationEngine

        /// The correlation rules' sources, kept for listing and for rebuilding the engine.
        public var correlationRules: [SigmaCorrelationRule]
        public var hasCorrelations: Bool { !correlationRules.isEmpty }

        public init(sigma: SigmaRuleSet, correlationRules: [SigmaCorrelationRule]) {
            self.sigma = sigma
            self.correlationRules = correlationRules
            self.correlation = SigmaCorrelationEngine(rules: correlationRules)
        }
    }

    public init(rules: CompiledRules, iocs: IOCMatcher, baselines: [BaselineSpec], catalog: CatalogDetectors.Instances) {
        self.rules = Mutex(rules)
        self.ioc = IOCDetector(matcher: iocs)
        self.baselines = BaselineDetector(specs: baselines)
        self.catalog = catalog
    }

    public func replaceRules(_ compiled: CompiledRules) {
        rules.withLock { $0 = compiled }
    }

    public var currentRules: CompiledRules { rules.withLock { $0 } }

    public func replaceIOCs(_ matcher: IOCMatcher) {
        ioc.update(matcher)
    }

    public func findings(for input: DetectionInput) -> [Finding] {
        let compiled = rules.withLock { $0 }
        let matches = compiled.sigma.matches(input)
        let event = input.event
        var out = matches.map { match in
            Finding(detectorID: match.id, type: .sigma, title: match.title, severity: match.severity,
                    confidence: match.confidence, indicators: match.indicators, eventIDs: [event.id],
                    entities: Entities(of: event))
        }
        // Correlation counts only events that matched a base rule; others cannot change a window.
        if !matches.isEmpty, compiled.hasCorrelations {
            let names = matches.flatMap { match in [match.id] + (match.name.map { [$0] } ?? []) }
            out += compiled.correlation.observe(matchedRules: names, input: input) { field in
                compiled.sigma.value(ofSigmaField: field, in: input)
            }
        }
        out += ioc.evaluate(input)
        out += baselines.evaluate(input)
        for detector in catalog.all {
            out += detector.evaluate(input)
        }
        return out
    }
}
