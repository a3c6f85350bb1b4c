import Ingestion
import MWRASPCore

/// COMP-001: content classifiers over every ingested event (any dataset, any kind). One byte
/// pass over the document (`ComplianceByteScan`) decides which classifiers can possibly match
/// (a Luhn-valid card number standing alone; an e-mail address, an EU phone number or an EU
/// IBAN start for GDPR; a medical keyword for PHI); only then are
/// the document's string and integer values walked on the JSONScanner tape and classified:
/// `CompliancePAN` (PCI DSS 3.4, critical), `CompliancePHI` (HIPAA 164.312(a)(2)(iv),
/// critical), `ComplianceGDPR` (GDPR Art. 6, high). At most one finding per regulation per
/// event, carrying the evidence (masked) and the notification deadline from the event time.
/// SOX change-control (DESIGN.md's fourth item) is not a content classifier and is not here.
public final class ComplianceDetector: EventDetector {
    public let configuration: ComplianceConfiguration

    public init(configuration: ComplianceConfiguration = ComplianceConfiguration()) {
        self.configuration = configuration
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        violations(input).map { $0.finding(event: input.event) }
    }

    public func violations(_ input: DetectionInput) -> [ComplianceViolation] {
        let bytes = input.event.document
        let scan = ComplianceByteScan(bytes)
        let maybeCards = scan.hasCardCandidate
        let maybeGDPR = scan.maybeGDPR
        let maybePHI = scan.hasMedicalWord
        guard maybeCards || maybeGDPR || maybePHI, let doc = input.document else { return [] }

        let fields = ComplianceFields.collect(doc)
        var out: [ComplianceViolation] = []
        if maybeCards {
            var evidence: [String] = []
            for f in fields {
                for m in CompliancePAN.find(in: f.value) { evidence.append("\(f.path): \(m.brand) \(m.masked)") }
            }
            if !evidence.isEmpty { out.append(violation(.pciDSS, evidence, input.event)) }
        }
        if maybePHI {
            let r = CompliancePHI.classify(fields)
            if r.isViolation { out.append(violation(.hipaa, r.medical + r.person + ["encryption: not declared"], input.event)) }
        }
        if maybeGDPR {
            let r = ComplianceGDPR.classify(fields, scan: scan)
            if r.isViolation {
                let basis = r.invalidBasis.map { "lawful_basis: not an Art. 6(1) basis (\($0))" } ?? "lawful_basis: absent"
                out.append(violation(.gdpr, r.personal + r.euLink + [basis], input.event))
            }
        }
        return out
    }

    private func violation(_ r: ComplianceRegulation, _ evidence: [String], _ event: Event) -> ComplianceViolation {
        let hours = configuration.deadlineHours(r)
        var listed = Array(evidence.prefix(configuration.maxEvidence))
        if evidence.count > listed.count { listed.append("and \(evidence.count - listed.count) more") }
        return ComplianceViolation(regulation: r, evidence: listed, notificationDeadlineHours: hours,
                                   notificationDeadline: event.timestamp + Int64(hours * 3_600_000))
    }
}
