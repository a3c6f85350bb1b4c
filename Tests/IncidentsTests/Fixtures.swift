import MWRASPCore
@testable import Incidents

/// 2024-05-17T13:45:22.123Z, the API.md example's time.
let t0: Int64 = 1_715_953_522_123
let second: Int64 = 1_000
let minute: Int64 = 60_000
let hour: Int64 = 3_600_000

/// A detection with the given entities; `eventTime` defaults to `detectedAt`.
func detection(_ name: String? = nil, source: String? = nil, destination: String? = nil, user: String? = nil, host: String? = nil,
               at eventTime: Int64 = t0, detectedAfter lag: Int64 = 0, severity: Severity = .high,
               detector: String = "SIGMA-ssh-bruteforce", type: DetectionType = .sigma, confidence: Double = 0.8,
               indicators: [Indicator] = []) -> Detection {
    let id = name ?? "det_" + EventID(milliseconds: eventTime).rawValue
    let finding = Finding(detectorID: detector, type: type, title: "\(detector) fired", severity: severity, confidence: confidence,
                          indicators: indicators, eventIDs: [EventID(milliseconds: eventTime)],
                          entities: Entities(sourceIP: source, destinationIP: destination, userName: user, hostName: host))
    return Detection(id: id, finding: finding, detectedAt: eventTime + lag, eventTime: eventTime, latencySeconds: 0.01)
}

let allFour = (source: "10.20.30.40", destination: "203.0.113.77", user: "svc-backup", host: "web-prod-03.corp.example.com")

func book(_ configuration: IncidentBookConfiguration = IncidentBookConfiguration(idSeed: 42)) -> IncidentBook {
    IncidentBook(configuration: configuration)
}

/// A book with one incident opened at `t0` with the given severity; returns both.
func bookWithIncident(severity: Severity = .high) -> (IncidentBook, String) {
    let book = book()
    let update = book.correlate(detection(source: "10.0.0.1", severity: severity), now: t0)
    return (book, update.incident.id)
}
