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

/// The cheap first pass over the raw document bytes: one loop, no allocation, that says which
/// classifiers could possibly match, so an event with none of their raw ingredients costs one
/// scan and no parsing of values.
struct ComplianceByteScan {
    /// Longest run of digits allowing single spaces or dashes between them (PAN-shaped).
    var longestDigitRun = 0
    var hasAt = false
    var hasPlusDigit = false
    /// Two uppercase letters then two digits: the start of an IBAN.
    var hasIBANStart = false
    /// One of `CompliancePHI.gateWords`, any case.
    var hasMedicalWord = false

    init(_ bytes: [UInt8]) {
        var longest = 0, run = 0
        var pendingSeparator = false
        var at = false, plusDigit = false, iban = false, medical = false
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c &- 48 < 10 {
                    run += 1
                    pendingSeparator = false
                    if run > longest { longest = run }
                    if !iban, i >= 2, i + 1 < n, b[i + 1] &- 48 < 10, b[i - 1] &- 65 < 26, b[i - 2] &- 65 < 26 { iban = true }
                } else if (c == 32 || c == 45) && run > 0 && !pendingSeparator {
                    pendingSeparator = true
                } else {
                    run = 0
                    pendingSeparator = false
                    switch c | 0x20 {
                    case 0x60 where c == 64: at = true  // '@' (0x40 | 0x20 = 0x60)
                    case 0x2B where c == 43: if i + 1 < n, b[i + 1] &- 48 < 10 { plusDigit = true }
                    case 0x64, 0x69, 0x6D, 0x70:  // d, i, m, p: first letters of the medical words
                        if !medical, ComplianceByteScan.startsMedicalWord(b, i) { medical = true }
                    default: break
                    }
                }
                i += 1
            }
        }
        longestDigitRun = longest
        hasAt = at
        hasPlusDigit = plusDigit
        hasIBANStart = iban
        hasMedicalWord = medical
    }

    private static func startsMedicalWord(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        for word in CompliancePHI.gateWords where word[0] == b[i] | 0x20 && i + word.count <= b.count {
            var j = 1
            while j < word.count && (b[i + j] | 0x20) == word[j] { j += 1 }
            if j == word.count { return true }
        }
        return false
    }
}
