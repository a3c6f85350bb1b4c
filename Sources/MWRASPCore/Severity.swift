/// How bad a finding is. Ordered: `critical > high > medium > low > info`.
public enum Severity: Int, Sendable, Codable, Comparable, CaseIterable, CustomStringConvertible {
    case info = 0
    case low = 1
    case medium = 2
    case high = 3
    case critical = 4

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { name }

    /// The API's spelling: `critical`, `high`, `medium`, `low`, `info`.
    public var name: String {
        switch self {
        case .info: "info"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    /// Reads our names, the vendors' words and numbers (API.md): PagerDuty `error`/`warning`,
    /// syslog-style `emergency`/`alert`/`err`/`notice`, ECS numeric severities 1-4
    /// (1 critical ... 4 low), case-insensitive. Nil when the word means nothing known.
    public init?(vendor text: String) {
        switch text.lowercased() {
        case "critical", "crit", "fatal", "emergency", "emerg", "alert", "p1", "sev1", "1": self = .critical
        case "high", "error", "err", "major", "severe", "p2", "sev2", "2": self = .high
        case "medium", "warning", "warn", "moderate", "minor", "p3", "sev3", "3": self = .medium
        case "low", "notice", "p4", "sev4", "4": self = .low
        case "info", "informational", "information", "debug", "none", "ok", "p5", "sev5", "0": self = .info
        default: return nil
        }
    }
}
