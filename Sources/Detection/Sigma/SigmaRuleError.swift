/// Why a Sigma document was refused: WHERE (a path into the YAML, `detection.selection.Image|foo`)
/// and WHY (`unknown modifier 'foo'`), plus a short stable `key` (`unknown_modifier`) that load
/// reports group by. `origin` names the file or `request` the rule came from.
public struct SigmaRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var origin: String
    public var path: String
    public var reason: String
    public var key: String

    public init(origin: String = "", path: String, reason: String, key: String) {
        self.origin = origin
        self.path = path
        self.reason = reason
        self.key = key
    }

    public var description: String {
        let place = path.isEmpty ? "" : "\(path): "
        return origin.isEmpty ? "\(place)\(reason)" : "\(origin): \(place)\(reason)"
    }
}
