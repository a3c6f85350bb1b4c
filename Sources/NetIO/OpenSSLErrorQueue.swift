import COpenSSL

/// OpenSSL keeps one error queue per thread. An entry left behind by one connection would
/// make SSL_get_error misreport the next connection served on the same event-loop thread,
/// so every checked call clears it first, and every failure drains it into text.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// All queued errors as "error:...:reason" strings joined by "; ", oldest first;
    /// nil when the queue was empty. Leaves the queue empty.
    static func drain() -> String? {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            messages.append(describe(code))
        }
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }

    /// Drains the queue and also reports whether any entry carried `reason`.
    static func drain(lookingFor reason: Int32) -> (text: String?, found: Bool) {
        var messages: [String] = []
        var found = false
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if ERR_GET_REASON(code) == reason { found = true }
            messages.append(describe(code))
        }
        return (messages.isEmpty ? nil : messages.joined(separator: "; "), found)
    }

    private static func describe(_ code: UInt) -> String {
        // 256 bytes is the documented minimum that never truncates ERR_error_string_n.
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
