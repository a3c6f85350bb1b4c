import Foundation

/// Pagination cursors: the last key of a page behind a version prefix, base64url-encoded so
/// that clients treat them as opaque and we can change their contents later.
enum OpaqueCursor {
    static func encode(_ key: String, prefix: String) -> String {
        Data((prefix + key).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The key, or nil when `cursor` is not one of ours with this prefix.
    static func decode(_ cursor: String, prefix: String) -> String? {
        guard cursor.utf8.count <= 128 else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
              let text = String(data: data, encoding: .utf8),
              text.hasPrefix(prefix)
        else { return nil }
        return String(text.dropFirst(prefix.count))
    }
}
