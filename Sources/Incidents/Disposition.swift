/// The analyst's verdict on an incident, from which the false-positive rate is computed.
public enum Disposition: String, Sendable, Codable, CaseIterable {
    /// A real threat.
    case truePositive = "true_positive"
    /// The detection was wrong. Closes the incident: there is nothing to contain.
    case falsePositive = "false_positive"
    /// The detection was right but the activity was authorized (a pen test, an admin's script).
    /// Closes the incident too, and does not count as a false positive.
    case benign

    /// Whether setting it closes the incident.
    public var closesIncident: Bool { self != .truePositive }
}
