import Dispatch
import Foundation
import Detection
import Storage
import Synchronization

/// The Sigma rules in force: those of the rules directory (read at start) and those responders
/// add over `/v1/rules` (kept in the store, kind `sigma_rule`, as their YAML). Directory rules
/// can be switched off over the API (kind `sigma_disabled`) but not edited: the files are the
/// operator's. Every change compiles a new rule set off the request threads and swaps it into
/// the detectors whole.
public final class RuleLibrary: Sendable {
    public static let ruleKind = "sigma_rule"
    public static let disabledKind = "sigma_disabled"

    /// One loaded rule or correlation rule, for listing.
    public struct Entry: Sendable {
        public var id: String
        public var title: String
        public var kind: String  // "sigma" | "correlation"
        public var level: String?
        public var status: String?
        public var logsource: SigmaLogsource?
        public var origin: String
        public var fromAPI: Bool
        public var yaml: String
    }

    private struct State {
        var directoryRules: [SigmaRule] = []
        var directoryCorrelations: [SigmaCorrelationRule] = []
        var apiRules: [String: (rules: [SigmaRule], correlations: [SigmaCorrelationRule], yaml: String, createdAt: Int64)] = [:]
        var disabled: Set<String> = []
        var report = SigmaLoadReport()
    }

    private let store: any DetectionStore
    private let state = Mutex(State())
    private let compileQueue = DispatchQueue(label: "mwrasp.rules.compile")
    private let apply: @Sendable (DetectorSuite.CompiledRules) -> Void

    init(store: any DetectionStore, apply: @escaping @Sendable (DetectorSuite.CompiledRules) -> Void) {
        self.store = store
        self.apply = apply
    }

    /// Reads the directory and the stored rules, and returns the first compiled set.
    func load(directory: String?) async throws -> DetectorSuite.CompiledRules {
        var report = SigmaLoadReport()
        var directoryRules: [SigmaRule] = []
        var correlations: [SigmaCorrelationRule] = []
        if let directory {
            let result = SigmaRuleLoader.load(directory: directory)
            report = result.report
            directoryRules = result.rules
            for (yaml, origin) in result.correlations {
                do {
                    correlations.append(try SigmaCorrelationRule.parse(yaml: yaml, origin: origin))
                } catch {
                    report.correlations -= 1
                    report.refusals.append(SigmaRefusal(origin: origin, key: "invalid_correlation", detail: error.description))
                }
            }
        }
        var apiRules: [String: (rules: [SigmaRule], correlations: [SigmaCorrelationRule], yaml: String, createdAt: Int64)] = [:]
        for record in try await store.records(kind: Self.ruleKind) {
            let yaml = String(decoding: record.document, as: UTF8.self)
            // A stored rule was valid when it was stored; if this version refuses it, say so
            // in the report rather than refusing to start.
            do {
                let parsed = try Self.parse(yaml: yaml, origin: "api:\(record.id)")
                apiRules[record.id] = (parsed.rules, parsed.correlations, yaml, record.createdAt)
            } catch {
                report.refusals.append(SigmaRefusal(origin: "api:\(record.id)", key: "invalid_stored_rule", detail: "\(error)"))
            }
        }
        let disabled = Set(try await store.records(kind: Self.disabledKind).map(\.id))
        let finalReport = report
        state.withLock { state in
            state.directoryRules = directoryRules
            state.directoryCorrelations = correlations
            state.apiRules = apiRules
            state.disabled = disabled
            state.report = finalReport
        }
        return compile()
    }

    /// Parses one YAML text (one or more documents) into rules and correlation rules, or
    /// throws the first refusal with its path and reason.
    public static func parse(yaml: String, origin: String) throws -> (rules: [SigmaRule], correlations: [SigmaCorrelationRule]) {
        var rules: [SigmaRule] = []
        var correlations: [SigmaCorrelationRule] = []
        for document in try SigmaRuleParser.parse(yaml: yaml, origin: origin) {
            switch document {
            case .rule(let rule): rules.append(rule)
            case .correlation(let text, let origin): correlations.append(try SigmaCorrelationRule.parse(yaml: text, origin: origin))
            }
        }
        return (rules, correlations)
    }

    /// Adds (or replaces) the rules of `yaml` under `id` (the first document's id).
    public func add(yaml: String, createdAt: Int64) async throws -> [Entry] {
        let parsed = try Self.parse(yaml: yaml, origin: "api")
        guard let id = parsed.rules.first?.id ?? parsed.correlations.first?.detectorID else {
            throw RuleLibraryError.empty
        }
        let directoryIDs = state.withLock { state in Set(state.directoryRules.map(\.id) + state.directoryCorrelations.map(\.detectorID)) }
        let ids = parsed.rules.map(\.id) + parsed.correlations.map(\.detectorID)
        if let clash = ids.first(where: directoryIDs.contains) { throw RuleLibraryError.directoryRule(clash) }
        try await store.putRecord(ManagedRecord(kind: Self.ruleKind, id: id, createdAt: createdAt, document: Array(yaml.utf8)))
        state.withLock { $0.apiRules[id] = (parsed.rules, parsed.correlations, yaml, createdAt) }
        await recompile()
        return entries().filter { ids.contains($0.id) }
    }

    /// Removes an API rule, or switches a directory rule off. False when no such rule.
    public func delete(id: String) async throws -> Bool {
        let (isAPI, isDirectory) = state.withLock { state in
            (state.apiRules[id] != nil,
             state.directoryRules.contains { $0.id == id } || state.directoryCorrelations.contains { $0.detectorID == id })
        }
        if isAPI {
            _ = try await store.deleteRecord(kind: Self.ruleKind, id: id)
            state.withLock { _ = $0.apiRules.removeValue(forKey: id) }
        } else if isDirectory, !state.withLock({ $0.disabled.contains(id) }) {
            try await store.putRecord(ManagedRecord(kind: Self.disabledKind, id: id, createdAt: 0, document: []))
            state.withLock { _ = $0.disabled.insert(id) }
        } else {
            return false
        }
        await recompile()
        return true
    }

    public var report: SigmaLoadReport { state.withLock { $0.report } }

    /// Every rule in force, directory rules first.
    public func entries() -> [Entry] {
        state.withLock { state in
            var out: [Entry] = []
            func add(_ rule: SigmaRule, yaml: String? = nil, api: Bool) {
                out.append(Entry(id: rule.id, title: rule.title, kind: "sigma", level: rule.level, status: rule.status,
                                 logsource: rule.logsource, origin: rule.origin, fromAPI: api, yaml: yaml ?? rule.yaml))
            }
            func add(_ rule: SigmaCorrelationRule, yaml: String, api: Bool) {
                out.append(Entry(id: rule.detectorID, title: rule.title, kind: "correlation", level: rule.severity.name,
                                 status: rule.status, logsource: nil, origin: rule.origin, fromAPI: api, yaml: yaml))
            }
            for rule in state.directoryRules where !state.disabled.contains(rule.id) { add(rule, api: false) }
            for rule in state.directoryCorrelations where !state.disabled.contains(rule.detectorID) {
                add(rule, yaml: (try? String(contentsOfFile: rule.origin, encoding: .utf8)) ?? "", api: false)
            }
            for (_, stored) in state.apiRules.sorted(by: { ($0.value.createdAt, $0.key) < ($1.value.createdAt, $1.key) }) {
                // As the responder sent it (all its documents), not one document's slice.
                for rule in stored.rules { add(rule, yaml: stored.yaml, api: true) }
                for rule in stored.correlations { add(rule, yaml: stored.yaml, api: true) }
            }
            return out
        }
    }

    private func compile() -> DetectorSuite.CompiledRules {
        let (rules, correlations) = state.withLock { state -> ([SigmaRule], [SigmaCorrelationRule]) in
            let rules = state.directoryRules.filter { !state.disabled.contains($0.id) } + state.apiRules.values.flatMap(\.rules)
            let correlations = state.directoryCorrelations.filter { !state.disabled.contains($0.detectorID) }
                + state.apiRules.values.flatMap(\.correlations)
            return (rules, correlations)
        }
        return DetectorSuite.CompiledRules(sigma: SigmaRuleSet(rules: rules), correlationRules: correlations)
    }

    private func recompile() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            compileQueue.async {
                self.apply(self.compile())
                continuation.resume()
            }
        }
    }
}

public enum RuleLibraryError: Error, CustomStringConvertible {
    case empty
    case directoryRule(String)

    public var description: String {
        switch self {
        case .empty: "the YAML holds no rule"
        case .directoryRule(let id): "rule \(id) comes from the rules directory; change the file instead"
        }
    }
}

extension SigmaLoadReport {
    /// One line for the start-up log; the full report is at `GET /v1/rules?summary`.
    public var summaryLine: String {
        let reasons = refusedByReason.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "Sigma rules: \(loaded) loaded, \(refused) refused\(reasons.isEmpty ? "" : " (\(reasons))"), \(correlations) correlation rules, from \(files) files"
    }
}
