/// The SOC's KPIs, computed from the incident records (DESIGN.md §4, §7). Means in
/// milliseconds; nil when no incident has the measurement yet.
///
/// - MTTD, mean time to detect: from the earliest event behind an incident to its first
///   detection (clamped at 0 against sender clock skew).
/// - MTTA, mean time to acknowledge: opening to the first reaction (assignment, phase move,
///   disposition or investigation milestone).
/// - MTTC, mean time to contain: opening to leaving containment.
/// - MTTR, mean time to recover: opening to reaching lessons learned, or closing without them.
///   False-positive and benign incidents are left out: closing a false alarm is not a recovery
///   and would flatter the figure.
/// - False-positive rate: false positives over incidents with a disposition (benign counts as
///   a correct detection).
public struct IncidentKPIs: Sendable, Equatable, Codable {
    public var incidents: Int
    public var open: Int
    public var contained: Int
    public var resolved: Int
    public var closed: Int
    public var meanTimeToDetect: Double?
    public var meanTimeToAcknowledge: Double?
    public var meanTimeToContain: Double?
    public var meanTimeToRecover: Double?
    public var dispositioned: Int
    public var falsePositives: Int
    public var falsePositiveRate: Double?
    public var slaBreaches: Int
    public var timersMet: Int
    public var timersBreached: Int

    enum CodingKeys: String, CodingKey {
        case incidents, open, contained, resolved, closed
        case meanTimeToDetect = "mttd_ms", meanTimeToAcknowledge = "mtta_ms", meanTimeToContain = "mttc_ms", meanTimeToRecover = "mttr_ms"
        case dispositioned, falsePositives = "false_positives", falsePositiveRate = "false_positive_rate"
        case slaBreaches = "sla_breaches", timersMet = "timers_met", timersBreached = "timers_breached"
    }

    public init<S: Sequence>(_ records: S) where S.Element == Incident {
        var counts: [IncidentStatus: Int] = [:]
        var detect: [Int64] = [], acknowledge: [Int64] = [], contain: [Int64] = [], recover: [Int64] = []
        var total = 0, dispositioned = 0, falsePositives = 0, breaches = 0, met = 0, missed = 0
        for incident in records {
            total += 1
            counts[incident.status, default: 0] += 1
            if let first = incident.findings.map(\.detectedAt).min() { detect.append(max(0, first - incident.firstEventAt)) }
            if let at = incident.acknowledgedAt { acknowledge.append(max(0, at - incident.openedAt)) }
            let falseAlarm = incident.disposition?.closesIncident == true
            if let at = incident.containedAt, !falseAlarm { contain.append(max(0, at - incident.openedAt)) }
            if let at = incident.resolvedAt, !falseAlarm { recover.append(max(0, at - incident.openedAt)) }
            if let disposition = incident.disposition {
                dispositioned += 1
                if disposition == .falsePositive { falsePositives += 1 }
            }
            breaches += incident.slaBreaches.count
            met += incident.responseTimers.filter { $0.state == .met }.count
            missed += incident.responseTimers.filter { $0.state == .breached }.count
        }
        func mean(_ values: [Int64]) -> Double? {
            values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
        }
        incidents = total
        open = counts[.open] ?? 0
        contained = counts[.contained] ?? 0
        resolved = counts[.resolved] ?? 0
        closed = counts[.closed] ?? 0
        meanTimeToDetect = mean(detect)
        meanTimeToAcknowledge = mean(acknowledge)
        meanTimeToContain = mean(contain)
        meanTimeToRecover = mean(recover)
        self.dispositioned = dispositioned
        self.falsePositives = falsePositives
        falsePositiveRate = dispositioned == 0 ? nil : Double(falsePositives) / Double(dispositioned)
        slaBreaches = breaches
        timersMet = met
        timersBreached = missed
    }
}
