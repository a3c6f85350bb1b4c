import MWRASPCore

/// Alerts that SIEMs send are findings in their own right (issue 4, §7): they go to
/// correlation as they are, without a detector re-judging them.
enum SIEMAlertFinding {
    /// The confidence given to a SIEM's alert. MWRASP cannot check the SIEM's reasoning, so it
    /// is neither certain nor discounted to nothing: 0.75, the same for every source.
    static let confidence = 0.75

    /// Lifecycle updates (`resolved`, PagerDuty `acknowledge`/`resolve`) are not new findings.
    static func isLifecycleUpdate(_ event: Event) -> Bool {
        switch event.status?.lowercased() {
        case "resolved", "resolve", "acknowledge", "acknowledged": true
        default: false
        }
    }

    static func make(_ event: Event) -> Finding {
        Finding(
            detectorID: event.dataset ?? "siem.\(event.source.rawValue)",
            type: .siemAlert,
            title: event.title ?? "Alert from \(event.source.rawValue)",
            severity: event.severity ?? .medium,
            confidence: confidence,
            indicators: [Indicator(name: "source", value: event.source.rawValue)]
                + (event.externalID.map { [Indicator(name: "external_id", value: $0)] } ?? []),
            eventIDs: [event.id],
            entities: Entities(of: event))
    }
}
