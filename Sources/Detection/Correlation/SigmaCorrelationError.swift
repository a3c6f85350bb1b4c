/// Why a correlation document was refused: where in the document (`correlation.timespan`)
/// and why (`'5x' is not a duration`), so the rule author can fix it from the message alone.
public struct SigmaCorrelationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or catalog entry the text came from (`rules/brute_force.yml`).
    public var origin: String
    /// Dotted path of the offending key (`correlation.condition`); empty for the whole document.
    public var path: String
    public var reason: String

    public init(origin: String, path: String, reason: String) {
        self.origin = origin
        self.path = path
        self.reason = reason
    }

    public var description: String {
        path.isEmpty ? "\(origin): \(reason)" : "\(origin): \(path): \(reason)"
    }
}
