/// Why a body (or one event of it) was refused. `reason` is written for a problem+json
/// `detail` (RFC 9457): it names the field, the line or the byte, so a SIEM operator can fix
/// the sender without reading our code.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// e.g. `line 3: field src_ip must be a string, got number`,
    /// `invalid JSON at byte 17: expected ',' or '}'`, `invalid UTF-8 at byte 40`.
    public var reason: String
    /// NDJSON line (1-based) when the error belongs to one line of a bulk body.
    public var line: Int?

    public init(reason: String, line: Int? = nil) {
        self.reason = reason
        self.line = line
    }

    public var description: String { reason }

    /// `field NAME must be a TYPE, got KIND`: the one wording for every typed check.
    static func wrongType(_ field: String, expected: String, got kind: JSONScanner.Kind) -> IngestError {
        IngestError(reason: "field \(field) must be \(expected), got \(kind.name)")
    }

    static func missing(_ field: String) -> IngestError {
        IngestError(reason: "missing required field \(field)")
    }
}
