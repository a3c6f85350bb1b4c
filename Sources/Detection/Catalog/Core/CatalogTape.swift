import Ingestion

/// Small typed readers over the JSONScanner tape that the catalog detectors share. Each returns
/// nil for a missing node or a value of the wrong JSON type, so malformed telemetry is skipped
/// rather than trapped on.
enum CatalogTape {
    static func number(_ doc: JSONScanner, _ node: Int?) -> Double? {
        guard let node, doc.kind(node) == .number, let v = doc.double(node), v.isFinite else { return nil }
        return v
    }

    static func bool(_ doc: JSONScanner, _ node: Int?) -> Bool? {
        guard let node else { return nil }
        return doc.bool(node)
    }

    static func string(_ doc: JSONScanner, _ node: Int?) -> String? {
        guard let node else { return nil }
        return doc.string(node)
    }

    /// An array of numbers; nil if absent, not an array, or any element is not a finite number
    /// (a partial array would silently change a statistic).
    static func numbers(_ doc: JSONScanner, _ node: Int?) -> [Double]? {
        guard let node, doc.kind(node) == .array else { return nil }
        var out: [Double] = []
        for element in doc.elements(node) {
            guard let v = number(doc, element) else { return nil }
            out.append(v)
        }
        return out
    }

    static func member(_ doc: JSONScanner, _ object: Int?, _ name: String) -> Int? {
        guard let object else { return nil }
        return doc.member(object, name)
    }
}
