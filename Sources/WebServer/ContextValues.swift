/// Typed values middleware attaches to a request for later steps (the authenticated
/// principal, say) without WebServer knowing their types. Empty, and free, until used.
public protocol ContextKey {
    associatedtype Value: Sendable
}

public struct ContextValues: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public subscript<Key: ContextKey>(_ key: Key.Type) -> Key.Value? {
        get { storage[ObjectIdentifier(key)] as? Key.Value }
        set { storage[ObjectIdentifier(key)] = newValue }
    }
}
