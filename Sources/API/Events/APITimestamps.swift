import Ingestion

/// RFC 3339 timestamps for the API, always UTC with milliseconds, through the ingestion
/// module's hand-written formatter and parser (the same forms the documents carry).
enum APITimestamps {
    /// `2024-05-17T13:45:22.123Z`.
    static func iso8601(milliseconds: Int64) -> String {
        Timestamps.format(milliseconds)
    }

    /// A query parameter: epoch milliseconds, or RFC 3339 with or without fractions.
    static func parse(_ text: String) -> Int64? {
        if let value = Int64(text) { return value }
        return Timestamps.parseRFC3339(Array(text.utf8))
    }
}
