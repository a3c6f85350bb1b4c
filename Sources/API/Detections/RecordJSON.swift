import HTTPCore
import MWRASPCore
import Pipeline
import Storage

/// Pages of stored records (detections, incidents) as JSON: each record is stored as the JSON
/// the API serves and is copied in as it is.
enum RecordJSON {
    static func page(_ page: RecordPage) -> [UInt8] {
        var out = Array(#"{"items":["#.utf8)
        out.reserveCapacity(page.items.reduce(64) { $0 + $1.count + 1 })
        for (index, item) in page.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item)
        }
        out.append(contentsOf: #"],"next_cursor":"#.utf8)
        out.append(contentsOf: (page.nextCursor.map { JSONString.quote($0) } ?? "null").utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func array(_ items: [[UInt8]]) -> [UInt8] {
        page(RecordPage(items: items, nextCursor: nil))
    }
}

import Foundation
import WebServer

extension RecordJSON {
    /// Stored JSON is compact; `?pretty` re-indents it for people using curl.
    static func response(_ bytes: [UInt8], status: HTTPResponseStatus = .ok, pretty: Bool) -> Response {
        guard pretty, let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
              let indented = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return Response.json(bytes: bytes, status: status) }
        return Response.json(bytes: Array(indented) + [0x0A], status: status)
    }
}

extension APIEnvironment {
    /// The detection runtime, or 503 while it is not running (a server started without it).
    func detectionRuntime() throws -> DetectionRuntime {
        guard let detection else {
            throw Problem.serviceUnavailable("Detection is not running on this server.", retryAfterSeconds: 5)
        }
        return detection
    }
}

/// Store failures on the detection endpoints.
func detectionStorage<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        if case .invalidCursor(let cursor) = error { throw Problem.badRequest("cursor: \(cursor) is not a cursor this server made.") }
        throw Problem.serviceUnavailable("The detection store is unavailable: \(error).", retryAfterSeconds: 5)
    }
}

/// `limit` and `cursor` of list endpoints, and refusal of unknown parameters.
enum ListParameters {
    static func apply(_ request: Request, allowed: Set<String>, to query: inout RecordQuery,
                      _ other: (String, String, inout RecordQuery) throws -> Void) throws {
        let names = allowed.union(["limit", "cursor", "pretty"])
        for (name, value) in request.queryItems {
            guard names.contains(name) else {
                throw Problem.badRequest("Unknown query parameter \(name); accepted: \(names.sorted().joined(separator: ", ")).")
            }
            switch name {
            case "limit":
                guard let limit = Int(value), (1...1000).contains(limit) else {
                    throw Problem.badRequest("limit must be a whole number from 1 to 1000, got \(value).")
                }
                query.limit = limit
            case "cursor": query.cursor = value
            case "pretty": break
            default: try other(name, value, &query)
            }
        }
    }

    static func severity(_ value: String) throws -> Int {
        guard let severity = Severity.allCases.first(where: { $0.name == value }) else {
            throw Problem.badRequest("severity must be one of \(Severity.allCases.map(\.name).joined(separator: ", ")), got \(value).")
        }
        return severity.rawValue
    }
}
