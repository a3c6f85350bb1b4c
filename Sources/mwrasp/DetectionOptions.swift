import Detection
import Foundation
import Pipeline
import Yams

/// Detection settings: where rules and extra catalog definitions live, threshold overrides,
/// canary URLs, baselines. Each has a config key and an environment variable; the rules
/// directory also a flag.
enum DetectionOptions {
    static func resolve(_ source: inout SettingSource, rulesDirFlag: String?, catalogDirFlag: String?, listen: String) throws -> DetectionSettings {
        var settings = DetectionSettings()
        settings.rulesDirectory = source.string(rulesDirFlag, env: "MWRASP_RULES_DIR", key: "rules_dir")
        settings.catalogDirectory = source.string(catalogDirFlag, env: "MWRASP_CATALOG_DIR", key: "catalog_dir")
        for path in [settings.rulesDirectory, settings.catalogDirectory].compactMap({ $0 }) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ServeSettings.Invalid(description: "\(path) is not a directory")
            }
        }
        let baseURL = source.string(nil, env: "MWRASP_CANARY_BASE_URL", key: "canaries.base_url") ?? "http://\(listen)"
        let domain = source.string(nil, env: "MWRASP_CANARY_DOMAIN", key: "canaries.domain") ?? "canary.mwrasp.invalid"
        settings.canaries = CanaryConfiguration(baseURL: baseURL, domain: domain)

        // thresholds.<DETECTOR-ID>.<name>: <number>, e.g. thresholds.QTD-001.confidence: 0.9
        var overrides: [String: [String: Double]] = [:]
        for key in source.file.values.keys where key.hasPrefix("thresholds.") {
            let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, let text = source.string(nil, env: "", key: key), let value = Double(text) else {
                throw ServeSettings.Invalid(description: "\(key) must be thresholds.<DETECTOR-ID>.<name>: <number>")
            }
            overrides[parts[1], default: [:]][parts[2]] = value
        }
        settings.catalogOverrides = CatalogConfiguration(overrides: overrides)

        if let path = source.string(nil, env: "MWRASP_BASELINES_FILE", key: "baselines_file") {
            settings.baselines = try baselines(path)
        }
        return settings
    }

    /// A YAML (or JSON) list of baseline specs; an empty list switches baselines off.
    static func baselines(_ path: String) throws -> [BaselineSpec] {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try YAMLDecoder().decode([BaselineSpec].self, from: text)
        } catch {
            throw ServeSettings.Invalid(description: "baselines file \(path): \(error)")
        }
    }
}
