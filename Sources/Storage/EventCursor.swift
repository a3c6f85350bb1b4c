import Foundation
import MWRASPCore

/// The opaque pagination cursor: the id of the last event of a page, base64url-encoded so that
/// clients treat it as opaque and we can change its contents later (a version prefix says how).
enum EventCursor {
    private static let prefix = "e1:"

    static func encode(_ id: EventID) -> String {
        Data((prefix + id.rawValue).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) throws(StoreError) -> EventID {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard cursor.utf8.count <= 64,
              let data = Data(base64Encoded: base64),
              let text = String(data: data, encoding: .utf8),
              text.hasPrefix(prefix),
              let id = EventID(rawValue: String(text.dropFirst(prefix.count)))
        else { throw .invalidCursor(cursor) }
        return id
    }
}
