/// A Splunk HTTP Event Collector error, in Splunk's own terms so Splunk clients (forwarders,
/// logging libraries) understand the reply: `{"text":..., "code":..., "invalid-event-number":...}`
/// (https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector).
/// `detail` says precisely what was wrong, for logs and problem details; it is not part of
/// equality, so tests and callers can compare with Splunk's triple alone.
public struct HECError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var text: String
    /// 0-based, as Splunk counts.
    public var invalidEventNumber: Int?
    public var detail: String?

    public init(code: Int, text: String, invalidEventNumber: Int? = nil, detail: String? = nil) {
        self.code = code
        self.text = text
        self.invalidEventNumber = invalidEventNumber
        self.detail = detail
    }

    public static func == (lhs: HECError, rhs: HECError) -> Bool {
        lhs.code == rhs.code && lhs.text == rhs.text && lhs.invalidEventNumber == rhs.invalidEventNumber
    }

    public var description: String {
        var text = "HEC \(code) \(self.text)"
        if let invalidEventNumber { text += " (event \(invalidEventNumber))" }
        if let detail { text += ": \(detail)" }
        return text
    }

    public static let noData = HECError(code: 5, text: "No data")
    static func invalidFormat(_ event: Int, _ detail: String) -> HECError {
        HECError(code: 6, text: "Invalid data format", invalidEventNumber: event, detail: detail)
    }
    static func eventRequired(_ event: Int) -> HECError {
        HECError(code: 12, text: "Event field is required", invalidEventNumber: event, detail: "missing required field event")
    }
    static func eventBlank(_ event: Int) -> HECError {
        HECError(code: 13, text: "Event field cannot be blank", invalidEventNumber: event, detail: "field event is an empty string")
    }
    static func indexedFields(_ event: Int, _ detail: String) -> HECError {
        HECError(code: 15, text: "Error in handling indexed fields", invalidEventNumber: event, detail: detail)
    }
}
