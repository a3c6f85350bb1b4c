/// COMP-001's numbers: notification deadlines (GDPR's 72 h is the seed's; HIPAA's 60 days is
/// the Breach Notification Rule's outer limit; PCI's 24 h is MWRASP's default since the
/// deadline is contractual) and how many matches a finding lists.
public struct ComplianceConfiguration: Sendable, Equatable {
    public static let detectorID = "COMP-001"

    public var gdprNotificationHours = 72.0
    public var hipaaNotificationHours = 1440.0
    public var pciNotificationHours = 24.0
    /// Evidence lines per finding; more matches are counted, not listed.
    public var maxEvidence = 10

    public init() {}

    public init(_ t: CatalogThresholds) {
        gdprNotificationHours = t.value("gdpr_notification_hours", default: gdprNotificationHours)
        hipaaNotificationHours = t.value("hipaa_notification_hours", default: hipaaNotificationHours)
        pciNotificationHours = t.value("pci_notification_hours", default: pciNotificationHours)
        maxEvidence = max(1, Int(t.value("max_evidence", default: Double(maxEvidence))))
    }

    func deadlineHours(_ r: ComplianceRegulation) -> Double {
        switch r {
        case .pciDSS: pciNotificationHours
        case .hipaa: hipaaNotificationHours
        case .gdpr: gdprNotificationHours
        }
    }
}
