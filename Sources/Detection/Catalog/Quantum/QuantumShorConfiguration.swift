import MWRASPCore

/// QTD-001's numbers. Defaults are the seed's (section 1.1); each can be overridden through
/// `CatalogConfiguration` under the names in `Definitions/QTD-001.yaml`.
public struct QuantumShorConfiguration: Sendable, Equatable {
    public static let detectorID = "QTD-001"

    public var weightPeriodFinding = 0.4
    public var weightQFTSignature = 0.3
    public var weightFactorization = 0.3
    /// A threat at weighted confidence >= this.
    public var confidenceThreshold = 0.85
    /// CHSH confirms when S > this (strictly: S = 2 is the classical bound, not a violation).
    public var chshThreshold = 2.0
    /// Chi-squared confirms when the statistic > this (95%, 1 dof).
    public var chiSquaredThreshold = 3.841
    /// The entanglement witness confirms when its value < this.
    public var witnessThreshold = 0.0
    /// Validated with at least this many of the three confirmations.
    public var confirmationsRequired = 2
    /// An unvalidated threat is reported at medium severity with its confidence multiplied by
    /// this factor, so analysts see it but it cannot start the key-rotation playbook; 0 means
    /// unvalidated threats produce no finding at all.
    public var unvalidatedConfidenceFactor = 0.5

    public init() {}

    public init(_ t: CatalogThresholds) {
        weightPeriodFinding = t.value("weight_period_finding", default: weightPeriodFinding)
        weightQFTSignature = t.value("weight_qft_signature", default: weightQFTSignature)
        weightFactorization = t.value("weight_factorization", default: weightFactorization)
        confidenceThreshold = t.value("confidence", default: confidenceThreshold)
        chshThreshold = t.value("chsh_s", default: chshThreshold)
        chiSquaredThreshold = t.value("chi_squared", default: chiSquaredThreshold)
        witnessThreshold = t.value("entanglement_witness", default: witnessThreshold)
        confirmationsRequired = Int(t.value("confirmations_required", default: Double(confirmationsRequired)).rounded())
        unvalidatedConfidenceFactor = t.value("unvalidated_confidence_factor", default: unvalidatedConfidenceFactor)
    }
}
