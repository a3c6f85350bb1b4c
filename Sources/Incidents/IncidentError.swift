/// Why an incident operation was refused. The API maps `notFound` to 404,
/// `invalidTransition` to 409 (the phase machine forbids it) and `invalidPatch` to 422.
public enum IncidentError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(id: String)
    case invalidTransition(id: String, from: IncidentPhase, to: IncidentPhase)
    case invalidPatch(String)

    public var description: String {
        switch self {
        case .notFound(let id): "no incident \(id)"
        case .invalidTransition(let id, let from, let to):
            "incident \(id) is in phase \(from.rawValue) and can only move forward, not to \(to.rawValue)"
        case .invalidPatch(let reason): reason
        }
    }
}
