/// What the parser emits, in order: one `.head`, zero or more non-empty `.body` pieces as bytes
/// arrive, then `.end`.
public enum HTTPRequestPart: Sendable, Equatable {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end
}
