import Foundation

/// Why one file (or document) was not loaded.
public struct SigmaRefusal: Sendable, Equatable {
    public var origin: String
    /// Stable short key (`unknown_modifier`, `invalid_regex`, `duplicate_id`...).
    public var key: String
    /// Path and reason, as SigmaRuleError describes them.
    public var detail: String

    public init(origin: String, key: String, detail: String) {
        self.origin = origin
        self.key = key
        self.detail = detail
    }
}

/// What a directory load did: loaded count, refusals with their reasons.
public struct SigmaLoadReport: Sendable {
    public var files = 0
    public var loaded = 0
    public var correlations = 0
    public var refusals: [SigmaRefusal] = []

    public init() {}

    public var refused: Int { refusals.count }

    /// Refusal counts by reason key.
    public var refusedByReason: [String: Int] {
        refusals.reduce(into: [:]) { $0[$1.key, default: 0] += 1 }
    }

    /// Loaded / (loaded + refused) rule documents.
    public var loadRatio: Double {
        loaded + refused == 0 ? 1 : Double(loaded) / Double(loaded + refused)
    }

    public var summary: String {
        var lines = ["Sigma: \(files) files, \(loaded) rules loaded, \(refused) refused, \(correlations) correlation documents"]
        for (key, count) in refusedByReason.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
            lines.append("  \(key): \(count)")
        }
        for r in refusals { lines.append("  - [\(r.key)] \(r.detail)") }
        return lines.joined(separator: "\n")
    }
}

/// The result of loading a directory: the rules, the correlation documents for the
/// correlation parser, and the report.
public struct SigmaLoadResult: Sendable {
    public var rules: [SigmaRule]
    public var correlations: [(yaml: String, origin: String)]
    public var report: SigmaLoadReport
}

/// Reads every `.yml`/`.yaml` file under a directory (recursively, in path order).
public enum SigmaRuleLoader {
    public static func load(directory: String, options: SigmaParseOptions = SigmaParseOptions()) -> SigmaLoadResult {
        var report = SigmaLoadReport()
        var rules: [SigmaRule] = []
        var correlations: [(yaml: String, origin: String)] = []
        var ids = Set<String>()
        for path in files(under: directory) {
            report.files += 1
            guard let data = FileManager.default.contents(atPath: path) else {
                report.refusals.append(SigmaRefusal(origin: path, key: "unreadable", detail: "\(path): cannot read the file"))
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            do {
                for document in try SigmaRuleParser.parse(yaml: text, origin: path, options: options) {
                    switch document {
                    case .correlation(let yaml, let origin):
                        correlations.append((yaml, origin))
                        report.correlations += 1
                    case .rule(let rule):
                        guard ids.insert(rule.id).inserted else {
                            report.refusals.append(SigmaRefusal(origin: path, key: "duplicate_id", detail: "\(path): id: rule id \(rule.id) is already loaded"))
                            continue
                        }
                        rules.append(rule)
                        report.loaded += 1
                    }
                }
            } catch {
                report.refusals.append(SigmaRefusal(origin: path, key: error.key, detail: error.description))
            }
        }
        return SigmaLoadResult(rules: rules, correlations: correlations, report: report)
    }

    static func files(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".yml") || relative.hasSuffix(".yaml") {
                out.append((directory as NSString).appendingPathComponent(relative))
            }
        }
        return out.sorted()
    }
}
