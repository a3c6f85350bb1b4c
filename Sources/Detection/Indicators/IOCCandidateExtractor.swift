import Ingestion

/// Reads the observables of one document along `IOCCandidateFields.table`, handing each
/// (path, shape, value) to `body`, values de-duplicated.
///
/// Why not one `input.node(path)` per table row: each such lookup walks the root object
/// again, and most rows name top-level objects the event does not have. Instead the root's
/// members are walked once and only the rows under a key the event has are resolved below
/// it (dotted top-level keys like `"source.ip"` are handled by prefix).
enum IOCCandidateExtractor {
    private struct Row {
        var path: String
        /// The path after its first component (empty when it is one component).
        var rest: String
        var shape: IOCCandidateFields.Shape
    }

    /// Rows by the first component of their path.
    private static let rowsByFirst: [String: [Row]] = {
        var out: [String: [Row]] = [:]
        for (path, shape) in IOCCandidateFields.table {
            let parts = path.split(separator: ".", maxSplits: 1)
            out[String(parts[0]), default: []].append(Row(path: path, rest: parts.count > 1 ? String(parts[1]) : "", shape: shape))
        }
        return out
    }()

    static func forEach(_ document: JSONScanner, input: DetectionInput,
                        _ body: (String, IOCCandidateFields.Shape, String) -> Void) {
        guard document.kind(document.root) == .object else { return }
        var seen: [String] = []
        func emit(_ path: String, _ shape: IOCCandidateFields.Shape, _ value: some StringProtocol) {
            let text = String(value)
            guard !text.isEmpty, !seen.contains(text) else { return }
            seen.append(text)
            body(path, shape, text)
        }
        func scalar(_ node: Int, _ path: String, _ shape: IOCCandidateFields.Shape) {
            guard let text = document.string(node) else { return }
            switch shape {
            case .ipList:
                for part in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " }) where IOCAddress(part) != nil {
                    emit(path, .ip, part)
                }
            case .algorithmPairs:
                for pair in text.split(separator: ",") {
                    let digest = pair.firstIndex(of: "=").map { pair[pair.index(after: $0)...] } ?? pair
                    emit(path, .hash, digest)
                }
            default:
                emit(path, shape, text)
            }
        }
        func read(_ node: Int, _ path: String, _ shape: IOCCandidateFields.Shape) {
            switch document.kind(node) {
            case .string: scalar(node, path, shape)
            case .array: for element in document.elements(node) { scalar(element, path, shape) }
            case .object where shape == .hashObject:
                for (key, value) in document.members(node) {
                    scalar(value, "\(path).\(document.string(key) ?? "")", .hash)
                }
            default: break
            }
        }
        for (key, value) in document.members(document.root) {
            guard let name = document.string(key) else { continue }
            if let rows = rowsByFirst[name] {
                for row in rows {
                    if row.rest.isEmpty {
                        read(value, row.path, row.shape)
                    } else if document.kind(value) == .object, let node = document.value(atDotted: row.rest, from: value) {
                        read(node, row.path, row.shape)
                    }
                }
            } else if name.contains("."), let first = name.split(separator: ".").first, let rows = rowsByFirst[String(first)] {
                // A dotted top-level key (`"source.ip": ...`, `"file.hash": {...}`).
                for row in rows {
                    if row.path == name {
                        read(value, row.path, row.shape)
                    } else if row.path.hasPrefix(name + "."), document.kind(value) == .object,
                              let node = document.value(atDotted: String(row.path.dropFirst(name.count + 1)), from: value) {
                        read(node, row.path, row.shape)
                    }
                }
            }
        }
    }
}
