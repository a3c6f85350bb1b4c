/// An ordered list of header (or trailer) fields.
///
/// Deliberately not a dictionary: a repeated `Content-Length` or `Host` must stay visible to
/// whoever checks framing (RFC 9112 §6.3), and field order is significant for list-valued
/// fields (RFC 9110 §5.3). Names keep the case they were sent with and compare
/// case-insensitively (ASCII only, RFC 9110 §5.1).
public struct HTTPFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    @usableFromInline
    var storage: [Field]

    public init() {
        storage = []
    }

    /// Literal order is kept, and repeated names are allowed.
    public init(dictionaryLiteral elements: (String, String)...) {
        storage = elements.map { Field(name: $0.0, value: $0.1) }
    }

    public var count: Int { storage.count }

    public var isEmpty: Bool { storage.isEmpty }

    public mutating func append(name: String, value: String) {
        storage.append(Field(name: name, value: value))
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        storage.reserveCapacity(capacity)
    }

    /// The first value for `name`, case-insensitively.
    public subscript(name: String) -> String? {
        for field in storage where ASCII.equalsCaseInsensitive(field.name, name) {
            return field.value
        }
        return nil
    }

    /// Every value for `name`, in order (one entry per field line; comma lists are not split).
    public func values(for name: String) -> [String] {
        storage.lazy.filter { ASCII.equalsCaseInsensitive($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        storage.contains { ASCII.equalsCaseInsensitive($0.name, name) }
    }

    /// Sets `name` to `value`: the first field of that name is replaced in place (keeping its
    /// position), any others are removed; appended when absent.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let first = storage.firstIndex(where: { ASCII.equalsCaseInsensitive($0.name, name) }) else {
            append(name: name, value: value)
            return
        }
        storage[first] = Field(name: name, value: value)
        var index = storage.index(after: first)
        while index < storage.endIndex {
            if ASCII.equalsCaseInsensitive(storage[index].name, name) {
                storage.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    public mutating func remove(name: String) {
        storage.removeAll { ASCII.equalsCaseInsensitive($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        storage.makeIterator()
    }

    public var underestimatedCount: Int { storage.count }
}
