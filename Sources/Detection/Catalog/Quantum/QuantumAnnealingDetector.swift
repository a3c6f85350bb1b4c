import Ingestion
import MWRASPCore

/// QTD-003 ("Quantum annealing attack"): a k-of-n indicator detector over the jobs an
/// optimization API reports, one `mwrasp.optimization` event per job:
///
///     {"event":{"kind":"telemetry","dataset":"mwrasp.optimization"},"user":{"name":"svc-opt"},
///      "optimization":{
///        "problem":{"variable_domain":"spin","max_order":2,"variables":100,"couplings":4950},
///        "schedule":[10.0,5.0,2.5,1.0,0.1],
///        "convergence":{"iterations":40,"baseline_iterations":5000}}}
///
/// Indicators: (1) Ising-model structure: spin (±1) or binary (QUBO, the same model under
/// s = 2x - 1) variables with only pairwise interactions (`max_order` <= 2, absent read as 2)
/// and at least `minCouplings` couplings; (2) annealing schedule: at least `minScheduleSteps`
/// positive temperatures / transverse-field strengths, never increasing and ending lower than
/// they start; (3) convergence: `baseline_iterations / iterations` (the classical solver's
/// iteration count for the same problem over the job's) > `convergenceSpeedup`. Fires at
/// `minIndicators` (seed: 2 of 3) with medium severity; confidence is the fraction of the three
/// indicators present. Stateless.
public final class QuantumAnnealingDetector: EventDetector {
    public static let dataset = "mwrasp.optimization"
    public let configuration: QuantumAnnealingConfiguration

    public init(configuration: QuantumAnnealingConfiguration = QuantumAnnealingConfiguration()) {
        self.configuration = configuration
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        guard input.event.dataset == Self.dataset, let doc = input.document,
              let job = doc.member(doc.root, "optimization"), doc.kind(job) == .object else { return [] }
        var present: [String] = []
        var indicators: [Indicator] = []
        if let ising = isingStructure(doc, CatalogTape.member(doc, job, "problem")) {
            present.append("ising_structure")
            indicators.append(Indicator(name: "ising_structure", value: ising))
        }
        if let steps = annealingSchedule(doc, CatalogTape.member(doc, job, "schedule")) {
            present.append("annealing_schedule")
            indicators.append(Indicator(name: "annealing_schedule", value: "\(steps) decreasing steps"))
        }
        if let speedup = convergenceSpeedup(doc, CatalogTape.member(doc, job, "convergence")),
           CatalogCompare.above(speedup, configuration.convergenceSpeedup) {
            present.append("convergence_rate")
            indicators.append(Indicator(name: "convergence_speedup", value: QuantumStatistic.format(speedup)))
        }
        guard present.count >= max(1, configuration.minIndicators) else { return [] }
        indicators.append(Indicator(name: "indicators", value: "\(present.count)/3: " + present.joined(separator: ",")))
        return [Finding(
            detectorID: QuantumAnnealingConfiguration.detectorID, type: .catalog,
            title: "Annealing-style optimization job (\(present.count) of 3 indicators)",
            severity: .medium, confidence: CatalogCompare.confidence(Double(present.count) / 3),
            indicators: indicators, eventIDs: [input.event.id], entities: Entities(of: input.event))]
    }

    /// A description of the model when the problem is Ising-shaped, else nil.
    func isingStructure(_ doc: JSONScanner, _ problem: Int?) -> String? {
        guard let domain = CatalogTape.string(doc, CatalogTape.member(doc, problem, "variable_domain"))?.lowercased(),
              ["spin", "binary", "ising", "qubo"].contains(domain) else { return nil }
        let order = CatalogTape.number(doc, CatalogTape.member(doc, problem, "max_order")) ?? 2
        let couplings = CatalogTape.number(doc, CatalogTape.member(doc, problem, "couplings")) ?? 0
        guard order <= 2, couplings >= Double(configuration.minCouplings) else { return nil }
        return "\(domain) variables, \(Int(couplings)) pairwise couplings"
    }

    /// The number of steps when the array is a cooling schedule, else nil.
    func annealingSchedule(_ doc: JSONScanner, _ node: Int?) -> Int? {
        guard let steps = CatalogTape.numbers(doc, node), steps.count >= max(2, configuration.minScheduleSteps),
              steps.allSatisfy({ $0 > 0 }), let first = steps.first, let last = steps.last, last < first else { return nil }
        for i in 1..<steps.count where steps[i] > steps[i - 1] { return nil }
        return steps.count
    }

    func convergenceSpeedup(_ doc: JSONScanner, _ node: Int?) -> Double? {
        guard let iterations = CatalogTape.number(doc, CatalogTape.member(doc, node, "iterations")), iterations > 0,
              let baseline = CatalogTape.number(doc, CatalogTape.member(doc, node, "baseline_iterations")), baseline > 0
        else { return nil }
        return baseline / iterations
    }
}
