import HTTPCore
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
