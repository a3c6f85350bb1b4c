/// Why a gzip body could not be inflated. The HTTP layer maps `.corruptData` to 400 and
/// `.outputTooLarge` to 413.
public enum GzipError: Error, Sendable, Equatable {
    /// Not a valid gzip stream: bad header or CRC, truncated input, or trailing garbage.
    case corruptData(String)
    /// The decompressed size would pass the caller's cap (a zip bomb, or simply too big).
    case outputTooLarge(limit: Int)
}
