import Ingestion
import MWRASPCore

/// QTD-001 ("Shor's algorithm detection"). Reads `mwrasp.quantum` telemetry (API.md): the
/// sensor's three boolean signals give a weighted confidence (0.4 period finding, 0.3 QFT
/// signature, 0.3 factorization attempt); at confidence >= 0.85 it is a threat. The threat is
/// *validated* when at least 2 of 3 confirmations hold, each computed from the measurements in
/// the same event: CHSH S > 2 from coincidence counts, Pearson chi-squared > 3.841 from
/// observed vs expected counts, entanglement witness < 0 as sent.
///
/// Validated: a critical finding at the weighted confidence, indicator `validated=true`; this is
/// what starts the QTD-001 / AUTO-QT-001 response. Not validated: the seed treats validation as
/// its false-positive check, so the finding is kept for analysts but demoted (medium severity,
/// confidence × `unvalidatedConfidenceFactor`, `validated=false`), or dropped when that factor
/// is 0. Stateless: one event is one decision.
public final class QuantumShorDetector: EventDetector {
    public static let dataset = "mwrasp.quantum"
    public let configuration: QuantumShorConfiguration

    public init(configuration: QuantumShorConfiguration = QuantumShorConfiguration()) {
        self.configuration = configuration
    }

    /// The outcome for one telemetry document, exposed for tests and for the API's dry runs.
    public struct Assessment: Sendable, Equatable {
        public var signals: [String]
        public var confidence: Double
        public var isThreat: Bool
        public var chsh: QuantumStatistic
        public var chiSquared: QuantumStatistic
        public var witness: QuantumStatistic
        public var confirmed: [String]
        public var validated: Bool
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        guard input.event.dataset == Self.dataset, let doc = input.document,
              let quantum = doc.member(doc.root, "quantum"), doc.kind(quantum) == .object,
              let a = assess(doc, quantum: quantum), a.isThreat else { return [] }
        return finding(a, event: input.event).map { [$0] } ?? []
    }

    public func assess(_ doc: JSONScanner, quantum: Int) -> Assessment? {
        let c = configuration
        let signals = CatalogTape.member(doc, quantum, "signals")
        var names: [String] = []
        var confidence = 0.0
        for (name, weight) in [("period_finding", c.weightPeriodFinding), ("qft_signature", c.weightQFTSignature),
                               ("factorization", c.weightFactorization)]
        where CatalogTape.bool(doc, CatalogTape.member(doc, signals, name)) == true {
            names.append(name)
            confidence += weight
        }
        confidence = CatalogCompare.confidence(confidence)
        let isThreat = !names.isEmpty && CatalogCompare.atLeast(confidence, c.confidenceThreshold)

        let chsh = Self.chsh(doc, CatalogTape.member(doc, quantum, "chsh"))
        let chi = Self.chiSquared(doc, CatalogTape.member(doc, quantum, "chi_squared"))
        let witness: QuantumStatistic
        if let node = doc.member(quantum, "entanglement_witness") {
            witness = CatalogTape.number(doc, node).map { .value($0) } ?? .notComputable("not a finite number")
        } else {
            witness = .absent
        }
        var confirmed: [String] = []
        if let s = chsh.number, CatalogCompare.above(s, c.chshThreshold) { confirmed.append("chsh") }
        if let x = chi.number, CatalogCompare.above(x, c.chiSquaredThreshold) { confirmed.append("chi_squared") }
        if let w = witness.number, CatalogCompare.below(w, c.witnessThreshold) { confirmed.append("entanglement_witness") }
        return Assessment(signals: names, confidence: confidence, isThreat: isThreat, chsh: chsh, chiSquared: chi,
                          witness: witness, confirmed: confirmed, validated: confirmed.count >= c.confirmationsRequired)
    }

    static func chsh(_ doc: JSONScanner, _ node: Int?) -> QuantumStatistic {
        guard let node else { return .absent }
        guard doc.kind(node) == .object else { return .notComputable("chsh must be an object") }
        var pairs: [[Double]] = []
        for key in ["ab", "ab_", "a_b", "a_b_"] {
            guard let counts = CatalogTape.numbers(doc, doc.member(node, key)) else {
                return .notComputable("\(key) must be an array of 4 numbers")
            }
            pairs.append(counts)
        }
        return QuantumMeasurements.chsh(ab: pairs[0], abPrime: pairs[1], aPrimeB: pairs[2], aPrimeBPrime: pairs[3])
    }

    static func chiSquared(_ doc: JSONScanner, _ node: Int?) -> QuantumStatistic {
        guard let node else { return .absent }
        guard let observed = CatalogTape.numbers(doc, CatalogTape.member(doc, node, "observed")),
              let expected = CatalogTape.numbers(doc, CatalogTape.member(doc, node, "expected")) else {
            return .notComputable("observed and expected must be arrays of numbers")
        }
        return QuantumMeasurements.chiSquared(observed: observed, expected: expected)
    }

    func finding(_ a: Assessment, event: Event) -> Finding? {
        let factor = configuration.unvalidatedConfidenceFactor
        if !a.validated && factor <= 0 { return nil }
        let confidence = a.validated ? a.confidence : CatalogCompare.confidence(a.confidence * factor)
        let indicators = [
            Indicator(name: "signals", value: a.signals.joined(separator: ",")),
            Indicator(name: "weighted_confidence", value: QuantumStatistic.format(a.confidence)),
            Indicator(name: "chsh_s", value: a.chsh.text),
            Indicator(name: "chi_squared", value: a.chiSquared.text),
            Indicator(name: "entanglement_witness", value: a.witness.text),
            Indicator(name: "confirmations", value: "\(a.confirmed.count)/3" + (a.confirmed.isEmpty ? "" : ": " + a.confirmed.joined(separator: ","))),
            Indicator(name: "validated", value: a.validated ? "true" : "false"),
        ]
        return Finding(
            detectorID: QuantumShorConfiguration.detectorID, type: .catalog,
            title: a.validated ? "Shor's algorithm pattern, validated by \(a.confirmed.count) of 3 confirmations"
                               : "Shor's algorithm pattern, not validated (\(a.confirmed.count) of 3 confirmations)",
            severity: a.validated ? .critical : .medium, confidence: confidence,
            indicators: indicators, eventIDs: [event.id], entities: Entities(of: event))
    }
}
