/// Every limit the parser enforces, each mapped to one status.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line without its CRLF; over it -> 414, even before the CRLF arrives.
    public var maxRequestLineBytes: Int = 8192
    /// The whole field section: every field line with its CRLF plus the empty line ending the
    /// section. Trailer fields count against the same budget. Over it -> 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Field lines in the head plus trailer lines; over it -> 431.
    public var maxHeaderCount: Int = 100
    /// A Content-Length above it -> 413 as soon as the head is parsed; a chunked body whose
    /// declared chunk sizes add up past it -> 413 at the chunk-size line that crosses it.
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Hex digits in a chunk-size, leading zeros included (a legitimate sender never pads a size
    /// to 17 digits; counting them closes the "0000…0001" overflow games). Over it -> 400.
    public var maxChunkSizeHexDigits: Int = 16
    /// A chunk-size line with its extensions and CRLF (RFC 9112 §7.1.1 lets a recipient limit
    /// extensions); over it -> 400.
    public var maxChunkLineBytes: Int = 4096

    public init() {}

    public init(
        maxRequestLineBytes: Int = 8192,
        maxHeaderBytes: Int = 16 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 10 * 1024 * 1024,
        maxChunkSizeHexDigits: Int = 16,
        maxChunkLineBytes: Int = 4096
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkSizeHexDigits = maxChunkSizeHexDigits
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}
