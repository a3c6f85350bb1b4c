import Foundation
import Yams

/// Every catalog definition: the built-in ones shipped as resources of the Detection target
/// (`Catalog/Definitions/*.yaml`) and any a user adds in a directory, same format. This is what
/// `GET /v1/catalog` lists; detectors take their thresholds through `CatalogConfiguration`.
public struct Catalog: Sendable {
    /// Sorted by id, so listings are stable.
    public private(set) var definitions: [CatalogDefinition]
    private var byID: [String: Int]

    public init(definitions: [CatalogDefinition]) throws(CatalogError) {
        let sorted = definitions.sorted { $0.id < $1.id }
        var index: [String: Int] = [:]
        for (i, definition) in sorted.enumerated() {
            if index[definition.id] != nil { throw CatalogError("catalog: duplicate definition id \(definition.id)") }
            index[definition.id] = i
        }
        self.definitions = sorted
        self.byID = index
    }

    public subscript(id: String) -> CatalogDefinition? {
        byID[id].map { definitions[$0] }
    }

    /// The seed workflow ids any definition triggers, for listing.
    public var workflowIDs: [String] {
        Array(Set(definitions.flatMap { $0.response?.workflows ?? [] })).sorted()
    }

    /// The built-in definitions, then those in `userDirectory` (`*.yaml`, `*.yml`, `*.json`).
    /// A user definition may not reuse a built-in id: silently replacing a shipped detector's
    /// description would make the listing lie about what runs. `builtInDirectory` replaces the
    /// resource bundle (for packagings that install the definitions elsewhere; SwiftPM's
    /// `Bundle.module` traps when its `.resources` directory is missing beside the binary).
    public static func load(userDirectory: URL? = nil, builtInDirectory: URL? = nil) throws(CatalogError) -> Catalog {
        var all: [CatalogDefinition]
        if let builtInDirectory { all = try definitions(in: builtInDirectory) } else { all = try builtInDefinitions() }
        if let userDirectory { all += try definitions(in: userDirectory) }
        return try Catalog(definitions: all)
    }

    /// Where the shipped definitions are: `Definitions` in the Detection target's resource bundle.
    public static var bundledDirectory: URL? {
        Bundle.module.url(forResource: "Definitions", withExtension: nil)
    }

    /// The definitions shipped with MWRASP.
    public static func builtInDefinitions() throws(CatalogError) -> [CatalogDefinition] {
        guard let directory = bundledDirectory else {
            throw CatalogError("catalog: the built-in Definitions resource is missing from the bundle")
        }
        return try definitions(in: directory)
    }

    /// Every definition file in `directory`, in file-name order.
    public static func definitions(in directory: URL) throws(CatalogError) -> [CatalogDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CatalogError("catalog: cannot list \(directory.path): \(error)")
        }
        return try names
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted()
            .map { (name) throws(CatalogError) in try definition(at: directory.appendingPathComponent(name)) }
    }

    /// One file. YAML is a superset of JSON, so one decoder reads both.
    public static func definition(at file: URL) throws(CatalogError) -> CatalogDefinition {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw CatalogError("catalog: cannot read \(file.path): \(error)")
        }
        return try definition(yaml: text, origin: file.lastPathComponent)
    }

    public static func definition(yaml text: String, origin: String) throws(CatalogError) -> CatalogDefinition {
        let definition: CatalogDefinition
        do {
            definition = try YAMLDecoder().decode(CatalogDefinition.self, from: text)
        } catch {
            throw CatalogError("catalog: \(origin): \(error)")
        }
        try validate(definition, origin: origin)
        return definition
    }

    private static func validate(_ d: CatalogDefinition, origin: String) throws(CatalogError) {
        if d.id.isEmpty { throw CatalogError("catalog: \(origin): empty id") }
        if d.mechanism.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw CatalogError("catalog: \(origin): \(d.id) has no mechanism")
        }
        var seen = Set<String>()
        for t in d.thresholds {
            if !seen.insert(t.name).inserted { throw CatalogError("catalog: \(origin): \(d.id) repeats threshold \(t.name)") }
            if !t.default.isFinite { throw CatalogError("catalog: \(origin): \(d.id).\(t.name) is not a finite number") }
        }
    }
}
