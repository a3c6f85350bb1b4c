@testable import Detection
import Ingestion
import MWRASPCore

/// Events for detector tests, made the way production makes them (GenericEventAdapter).
enum DetectionTestEvents {
    static let t0: Int64 = 1_700_000_000_000

    static func input(_ json: String) -> DetectionInput {
        var context = IngestContext(receivedAt: t0)
        do {
            return DetectionInput(event: try GenericEventAdapter.parse(Array(json.utf8), context: &context))
        } catch {
            fatalError("test event refused: \(error) in \(json)")
        }
    }

    /// A flat event at `ms` with string fields (keys may be dotted ECS names).
    static func input(at ms: Int64, _ fields: [String: String] = [:]) -> DetectionInput {
        var members = ["\"@timestamp\": \(ms)"]
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { members.append("\"\(key)\": \"\(value)\"") }
        return input("{" + members.joined(separator: ", ") + "}")
    }
}
