import Foundation
import Ingestion
import MWRASPCore
import Testing

/// Tests use Foundation freely to check what the adapters wrote.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The document as a dictionary (fails the test when it is not a JSON object).
func object(_ document: [UInt8]) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(document))
    return try #require(value as? [String: Any])
}

/// Follows a path through nested dictionaries.
func lookup(_ document: [UInt8], _ path: String...) throws -> Any? {
    var current: Any? = try object(document)
    for name in path { current = (current as? [String: Any])?[name] }
    return current
}

func context() -> IngestContext { IngestContext(receivedAt: 1_716_000_000_000) }

/// 2024-05-17T13:45:22.123Z in ms.
let may17 = Int64(1_715_953_522_123)

/// Runs `body` expecting an IngestError and returns it.
func ingestError(_ body: () throws(IngestError) -> Void) -> IngestError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
