import Ingestion
import MWRASPCore

/// The regulations COMP-001 classifies against, with the seed's wording and severities.
public enum ComplianceRegulation: String, Sendable, Codable, CaseIterable {
    case pciDSS = "PCI DSS"
    case hipaa = "HIPAA"
    case gdpr = "GDPR"

    public var requirement: String {
        switch self {
        case .pciDSS: "3.4"
        case .hipaa: "Security Rule 164.312(a)(2)(iv)"
        case .gdpr: "Article 6"
        }
    }

    public var violation: String {
        switch self {
        case .pciDSS: "Card data stored unencrypted"
        case .hipaa: "PHI not encrypted"
        case .gdpr: "Processing without lawful basis"
        }
    }

    public var severity: Severity {
        switch self {
        case .pciDSS, .hipaa: .critical
        case .gdpr: .high
        }
    }

    /// The catalog threshold holding this regulation's notification deadline in hours.
    var deadlineThreshold: String {
        switch self {
        case .pciDSS: "pci_notification_hours"
        case .hipaa: "hipaa_notification_hours"
        case .gdpr: "gdpr_notification_hours"
        }
    }

    /// Where the deadline comes from, for the report.
    public var deadlineBasis: String {
        switch self {
        case .pciDSS: "PCI DSS 12.10.1 incident response plan: card brands and acquirer, per contract (default 24 h)"
        case .hipaa: "HIPAA Breach Notification Rule 164.404: without unreasonable delay, at most 60 days"
        case .gdpr: "GDPR Art. 33: supervisory authority within 72 hours"
        }
    }
}

/// One violation found in one event, with the report fields the seed's
/// `generate_compliance_report` lists (regulation, requirement, nature, data affected,
/// notification deadline). The audit log and the compliance workflow take it from the finding.
public struct ComplianceViolation: Sendable, Equatable {
    public var regulation: ComplianceRegulation
    /// Where the data sat and what was seen (`payment.card: visa 411111******1111`); never
    /// the clear value of a PAN.
    public var evidence: [String]
    public var notificationDeadlineHours: Double
    /// Event time + the deadline, milliseconds since the epoch.
    public var notificationDeadline: Int64

    public func finding(event: Event) -> Finding {
        var indicators = [
            Indicator(name: "regulation", value: regulation.rawValue),
            Indicator(name: "requirement", value: regulation.requirement),
            Indicator(name: "violation", value: regulation.violation),
            Indicator(name: "notification_deadline_hours", value: QuantumStatistic.format(notificationDeadlineHours)),
            Indicator(name: "notification_deadline", value: Timestamps.format(notificationDeadline)),
            Indicator(name: "deadline_basis", value: regulation.deadlineBasis),
        ]
        indicators += evidence.map { Indicator(name: "evidence", value: $0) }
        return Finding(
            detectorID: ComplianceConfiguration.detectorID, type: .compliance,
            title: "\(regulation.rawValue) \(regulation.requirement): \(regulation.violation)",
            severity: regulation.severity, confidence: 0.9,
            indicators: indicators, eventIDs: [event.id], entities: Entities(of: event))
    }
}
