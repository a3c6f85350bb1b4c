import Detection
import Ingestion
import MWRASPCore

/// Events for the catalog tests, made the way ingestion makes them.
enum CatalogFixtures {
    /// 2026-01-01T00:00:00Z.
    static let t0: Int64 = 1_767_225_600_000

    static func input(_ json: String, at ms: Int64 = t0) throws -> DetectionInput {
        var context = IngestContext(receivedAt: ms)
        let event = try GenericEventAdapter.parse(Array(json.utf8), context: &context)
        return DetectionInput(event: event)
    }

    static func indicator(_ f: Finding, _ name: String) -> String? {
        f.indicators.first { $0.name == name }?.value
    }

    static func indicators(_ f: Finding, _ name: String) -> [String] {
        f.indicators.filter { $0.name == name }.map(\.value)
    }
}
