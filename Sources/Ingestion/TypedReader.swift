/// Typed member access with the errors the vendor adapters share: `path` is the field's full
/// name in the body (`alerts[1].labels`), used verbatim in the message.
struct TypedReader {
    let scanner: JSONScanner

    /// Nil when absent or null; an error when present with another type.
    func string(_ object: Int, _ name: String, path: String) throws(IngestError) -> String? {
        guard let node = scanner.member(object, name) else { return nil }
        switch scanner.kind(node) {
        case .string: return scanner.string(node)
        case .null: return nil
        case let kind: throw IngestError.wrongType(path, expected: "a string", got: kind)
        }
    }

    func requiredString(_ object: Int, _ name: String, path: String) throws(IngestError) -> String {
        guard let value = try string(object, name, path: path) else { throw IngestError.missing(path) }
        return value
    }

    func object(_ object: Int, _ name: String, path: String) throws(IngestError) -> Int? {
        guard let node = scanner.member(object, name) else { return nil }
        switch scanner.kind(node) {
        case .object: return node
        case .null: return nil
        case let kind: throw IngestError.wrongType(path, expected: "an object", got: kind)
        }
    }

    func requiredObject(_ object: Int, _ name: String, path: String) throws(IngestError) -> Int {
        guard let value = try self.object(object, name, path: path) else { throw IngestError.missing(path) }
        return value
    }

    func requiredArray(_ object: Int, _ name: String, path: String) throws(IngestError) -> Int {
        guard let node = scanner.member(object, name), scanner.kind(node) != .null else { throw IngestError.missing(path) }
        guard scanner.kind(node) == .array else { throw IngestError.wrongType(path, expected: "an array", got: scanner.kind(node)) }
        return node
    }

    /// The body's root, which every webhook format requires to be an object.
    static func rootObject(_ scanner: JSONScanner) throws(IngestError) -> Int {
        guard scanner.kind(scanner.root) == .object else {
            throw IngestError(reason: "the body must be a JSON object, got \(scanner.kind(scanner.root).name)")
        }
        return scanner.root
    }

    /// An object whose values must all be strings (Alertmanager labels and annotations).
    func checkStringMap(_ object: Int, path: String) throws(IngestError) {
        for (key, value) in scanner.members(object) where scanner.kind(value) != .string {
            let name = scanner.string(key) ?? ""
            throw IngestError.wrongType("\(path).\(name)", expected: "a string", got: scanner.kind(value))
        }
    }

    /// The exact bytes of a node (an alert object) as received.
    func original(_ node: Int) -> [UInt8] { Array(scanner.rawBytes(node)) }
}
