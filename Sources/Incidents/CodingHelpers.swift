import MWRASPCore

/// The JSON conventions of API.md applied field by field: timestamps as RFC 3339 strings and
/// severities by name (`"critical"`), whatever the `JSONEncoder`'s strategies. `Severity`'s own
/// Codable writes its raw integer, which is right for storage rows but not for the API.
extension KeyedEncodingContainer {
    mutating func encodeTime(_ milliseconds: Int64, forKey key: Key) throws {
        try encode(RFC3339.format(milliseconds), forKey: key)
    }

    mutating func encodeTimeIfPresent(_ milliseconds: Int64?, forKey key: Key) throws {
        if let milliseconds { try encodeTime(milliseconds, forKey: key) }
    }

    mutating func encodeSeverity(_ severity: Severity, forKey key: Key) throws {
        try encode(severity.name, forKey: key)
    }
}

extension KeyedDecodingContainer {
    /// Reads RFC 3339; epoch milliseconds are accepted too, so rows written by hand still load.
    func decodeTime(forKey key: Key) throws -> Int64 {
        if let number = try? decode(Int64.self, forKey: key) { return number }
        let text = try decode(String.self, forKey: key)
        guard let milliseconds = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an RFC 3339 timestamp: \(text)")
        }
        return milliseconds
    }

    func decodeTimeIfPresent(forKey key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeTime(forKey: key)
    }

    func decodeSeverity(forKey key: Key) throws -> Severity {
        if let number = try? decode(Int.self, forKey: key), let severity = Severity(rawValue: number) { return severity }
        let text = try decode(String.self, forKey: key)
        guard let severity = Severity(vendor: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not a severity: \(text)")
        }
        return severity
    }
}
