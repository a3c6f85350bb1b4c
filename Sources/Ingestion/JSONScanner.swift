/// A byte-level JSON reader: validates RFC 8259 JSON in one pass (string escapes, UTF-8 per
/// RFC 3629, number grammar, literals, a nesting limit) and records a flat "tape" of nodes
/// (kind, byte range, index of the next sibling) instead of building dictionaries, so the
/// adapters can look fields up, iterate members and copy values verbatim without allocating
/// per value. Lookups take node indices; `root` is 0.
public struct JSONScanner: Sendable {
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null

        /// For error messages: `got number`.
        public var name: String {
            switch self {
            case .object: "object"
            case .array: "array"
            case .string: "string"
            case .number: "number"
            case .true, .false: "boolean"
            case .null: "null"
            }
        }
    }

    /// One value on the tape. Strings cover their content (without quotes); containers cover
    /// their brackets. `next` is the index just past this node's subtree, so siblings are
    /// found without walking children. An object's children alternate key, value.
    public struct Node: Sendable {
        public var kind: Kind
        /// A string with a backslash escape; its bytes must be decoded before use.
        public var escaped: Bool
        public var start: UInt32
        public var end: UInt32
        public var next: UInt32
    }

    public struct Options: Sendable {
        /// RFC 8259 has no limit; ours keeps recursion bounded on hostile input.
        public var maxDepth: Int = 64
        /// Kibana's Mustache loops render `[{...},{...},]`; accepted only where asked.
        public var allowTrailingCommas: Bool = false
        /// Most values one parsed document may hold (its index costs 16 bytes per value).
        /// Real webhooks hold thousands; Alertmanager with 1,000 alerts about 50,000.
        public var maxValues: Int = 1 << 20
        public init(maxDepth: Int = 64, allowTrailingCommas: Bool = false, maxValues: Int = 1 << 20) {
            self.maxDepth = maxDepth
            self.allowTrailingCommas = allowTrailingCommas
            self.maxValues = maxValues
        }
    }

    public let bytes: [UInt8]
    public private(set) var nodes: [Node]
    /// Byte offset just past the parsed value (before trailing whitespace).
    public private(set) var endOffset: Int
    public var root: Int { 0 }

    /// Parses `bytes` as exactly one JSON value, optionally surrounded by whitespace.
    public init(_ bytes: [UInt8], options: Options = Options()) throws(IngestError) {
        try self.init(bytes, from: 0, options: options, requireEnd: true)
    }

    /// Parses one JSON value starting at `offset` (after optional whitespace) and stops after
    /// it, for concatenated values (Splunk HEC). Offsets in errors and nodes are into `bytes`.
    public init(_ bytes: [UInt8], from offset: Int, options: Options = Options()) throws(IngestError) {
        try self.init(bytes, from: offset, options: options, requireEnd: false)
    }

    private init(_ bytes: [UInt8], from offset: Int, options: Options, requireEnd: Bool) throws(IngestError) {
        self.bytes = bytes
        let length = bytes.count - offset
        // About one node per 10 bytes in typical alerts; the tape grows when needed.
        let capacity = min(max(16, length / 10), 4096)
        let (tape, end) = try bytes.withUnsafeBufferPointer { (buffer) throws(IngestError) -> ([Node], Int) in
            var parser = JSONParser(buffer: buffer, position: offset, options: options, recording: true, capacity: capacity)
            defer { parser.release() }
            try Self.run(&parser, requireEnd: requireEnd)
            return (parser.nodes(), parser.position)
        }
        self.nodes = tape
        self.endOffset = end
    }

    /// Parses one value; `position` is left just after it.
    private static func run(_ parser: inout JSONParser, requireEnd: Bool) throws(IngestError) {
        try parser.parseValue(depth: 0)
        guard requireEnd else { return }
        let valueEnd = parser.position
        parser.skipWhitespace()
        if parser.position != parser.count {
            throw parser.syntaxError("unexpected data after the JSON value")
        }
        parser.position = valueEnd
    }

    /// Validates without keeping the tape.
    public static func validate(_ bytes: UnsafeRawBufferPointer, options: Options = Options()) throws(IngestError) {
        let buffer = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var parser = JSONParser(buffer: buffer, position: 0, options: options, recording: false)
        try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position != buffer.count { throw parser.syntaxError("unexpected data after the JSON value") }
    }

    public static func validate(_ bytes: [UInt8], options: Options = Options()) throws(IngestError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(IngestError) in try validate(UnsafeRawBufferPointer(buffer), options: options) }
    }
}
