/// Why the catalog or its configuration could not be loaded; the message names the file or the
/// key so an operator can fix it.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
