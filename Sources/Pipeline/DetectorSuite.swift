import Detection
import Dispatch
import Foundation
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
        // Plans for the common Windows logsources, built on a background thread so neither the
        // caller nor the first events of a busy feed wait for them.
        DispatchQueue.global(qos: .utility).async { compiled.sigma.preparePlans() }
    }

    public var currentRules: CompiledRules { rules.withLock { $0 } }

    public func replaceIOCs(_ matcher: IOCMatcher) {
        ioc.update(matcher)
    }

    /// What an event gets from the detectors that keep no state between events (Sigma rules,
    /// IOCs, QTD-001, QTD-003, COMP-001, canaries): any number of events can be judged in
    /// parallel, in any order.
    public struct IndependentResult: Sendable {
        public var matches: [SigmaMatch]
        public var findings: [Finding]
    }

    /// The rules in force, taken once per batch so that both stages of an event see the same set.
    public func snapshot() -> CompiledRules { rules.withLock { $0 } }

    public func independentFindings(for input: DetectionInput, rules compiled: CompiledRules) -> IndependentResult {
        independentFindings(for: input, rules: compiled, iocs: ioc.matcher)
    }

    /// `iocs`: the IOC matcher, taken once per batch like the rules.
    func independentFindings(for input: DetectionInput, rules compiled: CompiledRules, iocs: IOCMatcher) -> IndependentResult {
        let matches = compiled.sigma.matches(input)
        let event = input.event
        var out = matches.map { match in
            Finding(detectorID: match.id, type: .sigma, title: match.title, severity: match.severity,
                    confidence: match.confidence, indicators: match.indicators, eventIDs: [event.id],
                    entities: Entities(of: event))
        }
        out += ioc.evaluate(input, matcher: iocs)
        out += catalog.shor.evaluate(input)
        out += catalog.annealing.evaluate(input)
        out += catalog.compliance.evaluate(input)
        out += catalog.canary.evaluate(input)
        return IndependentResult(matches: matches, findings: out)
    }

    /// The detectors with windows and baselines (Sigma correlation, EWMA baselines, QTD-002):
    /// called once per event, in commit order.
    public func orderedFindings(for input: DetectionInput, after independent: IndependentResult, rules compiled: CompiledRules) -> [Finding] {
        var out: [Finding] = []
        // Correlation counts only events that matched a base rule; others cannot change a window.
        if !independent.matches.isEmpty, compiled.hasCorrelations {
            let names = independent.matches.flatMap { match in [match.id] + (match.name.map { [$0] } ?? []) }
            out += compiled.correlation.observe(matchedRules: names, input: input) { field in
                compiled.sigma.value(ofSigmaField: field, in: input)
            }
        }
        out += baselines.evaluate(input)
        out += catalog.grover.evaluate(input)
        return out
    }

    public func findings(for input: DetectionInput) -> [Finding] {
        findings(for: input, rules: snapshot())
    }

    private func findings(for input: DetectionInput, rules compiled: CompiledRules) -> [Finding] {
        let independent = independentFindings(for: input, rules: compiled)
        return independent.findings + orderedFindings(for: input, after: independent, rules: compiled)
    }
}

extension DetectorSuite {
    /// The pipeline's path: each event is parsed by the thread that judges it, right before
    /// its stateless detectors run, while its document is still in cache. (Parsing a whole
    /// batch first and judging it after left every tape cold by the time it was read: the
    /// batch path ran at about two thirds of the per-event rate.) The stateful detectors then
    /// walk the batch in order.
    public func findings(forEvents events: [Event]) -> [[Finding]] {
        let compiled = snapshot()
        guard events.count >= 64 else { return events.map { findings(for: DetectionInput(event: $0), rules: compiled) } }
        let iocs = ioc.matcher
        // More parts than cores: a part that starts late (its thread busy elsewhere) holds up
        // the batch less.
        let parts = min(ProcessInfo.processInfo.activeProcessorCount * 4, 32)
        var judged = [(input: DetectionInput, result: IndependentResult)?](repeating: nil, count: events.count)
        judged.withUnsafeMutableBufferPointer { results in
            let slots = UncheckedSendable(results)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for index in (events.count * part / parts)..<(events.count * (part + 1) / parts) {
                    let input = DetectionInput(event: events[index])
                    slots.value[index] = (input, independentFindings(for: input, rules: compiled, iocs: iocs))
                }
            }
        }
        return judged.map { slot in
            let (input, result) = slot!
            return result.findings + orderedFindings(for: input, after: result, rules: compiled)
        }
    }
}

/// Each concurrent iteration writes only its own range of slots.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
