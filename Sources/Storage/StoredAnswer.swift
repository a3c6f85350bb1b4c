/// The answer an ingest endpoint gave, remembered under its idempotency key so that a retry
/// with the same key gets the same answer byte for byte.
public struct StoredAnswer: Sendable, Equatable, Codable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
