import Ingestion

/// The scalar values of an event document with where they sit, for the content classifiers:
/// every string (escapes decoded) and every number written as an integer, with its dotted path
/// and its own key lowercased. Walks the JSONScanner tape once; MWRASP's own `mwrasp` namespace
/// and `@timestamp` are skipped (we wrote them, they are not the sender's data).
struct ComplianceField {
    var path: String
    /// The last key on the path, lowercased (array elements inherit their array's key).
    var key: String
    var value: String
    var isString: Bool
    var bool: Bool?
}

enum ComplianceFields {
    /// Arrays and objects deeper than this are not walked: the scanner already bounds nesting
    /// at 64, this keeps the classifier's own cost predictable.
    static let maxDepth = 32

    static func collect(_ doc: JSONScanner) -> [ComplianceField] {
        var out: [ComplianceField] = []
        guard doc.kind(doc.root) == .object else { return out }
        for (key, value) in doc.members(doc.root) {
            guard let name = doc.string(key), name != "mwrasp", name != "@timestamp" else { continue }
            walk(doc, value, path: name, key: name.lowercased(), depth: 0, into: &out)
        }
        return out
    }

    private static func walk(_ doc: JSONScanner, _ node: Int, path: String, key: String, depth: Int, into out: inout [ComplianceField]) {
        switch doc.kind(node) {
        case .object:
            guard depth < maxDepth else { return }
            for (k, v) in doc.members(node) {
                let name = doc.string(k) ?? ""
                walk(doc, v, path: path + "." + name, key: name.lowercased(), depth: depth + 1, into: &out)
            }
        case .array:
            guard depth < maxDepth else { return }
            for element in doc.elements(node) { walk(doc, element, path: path, key: key, depth: depth + 1, into: &out) }
        case .string:
            out.append(ComplianceField(path: path, key: key, value: doc.string(node) ?? "", isString: true, bool: nil))
        case .number:
            if let text = doc.numberText(node), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                out.append(ComplianceField(path: path, key: key, value: text, isString: false, bool: nil))
            }
        case .true, .false:
            out.append(ComplianceField(path: path, key: key, value: "", isString: false, bool: doc.bool(node)))
        case .null:
            break
        }
    }
}
