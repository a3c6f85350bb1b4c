import Yams

/// Per-deployment threshold overrides, keyed by detector id then threshold name:
///
///     QTD-001:
///       confidence: 0.7
///     QTD-002:
///       window_seconds: 300
///
/// Anything not overridden keeps the catalog's default (the seed's number). An override naming
/// an unknown detector or threshold is an error at start-up, not a silent no-op: a typo would
/// otherwise leave the seed's value in force while the operator believes otherwise.
public struct CatalogConfiguration: Codable, Sendable, Equatable {
    public var overrides: [String: [String: Double]]

    public init(overrides: [String: [String: Double]] = [:]) {
        self.overrides = overrides
    }

    public init(from decoder: any Decoder) throws {
        overrides = try decoder.singleValueContainer().decode([String: [String: Double]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(overrides)
    }

    public static func parse(yaml text: String) throws(CatalogError) -> CatalogConfiguration {
        if text.allSatisfy(\.isWhitespace) { return CatalogConfiguration() }
        do {
            return try YAMLDecoder().decode(CatalogConfiguration.self, from: text)
        } catch {
            throw CatalogError("catalog configuration: \(error)")
        }
    }

    /// The thresholds of detector `id`: the catalog's defaults with this configuration's overrides.
    public func thresholds(for id: String, in catalog: Catalog) throws(CatalogError) -> CatalogThresholds {
        guard let definition = catalog[id] else { throw CatalogError("catalog: no definition \(id)") }
        var values: [String: Double] = [:]
        for t in definition.thresholds { values[t.name] = t.default }
        for (name, value) in overrides[id] ?? [:] {
            guard values[name] != nil else { throw CatalogError("catalog configuration: \(id) has no threshold \(name)") }
            guard value.isFinite else { throw CatalogError("catalog configuration: \(id).\(name) is not finite") }
            values[name] = value
        }
        return CatalogThresholds(detectorID: id, values: values)
    }

    /// Checks every override against the catalog (for `mwrasp config check` and start-up).
    public func validate(against catalog: Catalog) throws(CatalogError) {
        for id in overrides.keys.sorted() { _ = try thresholds(for: id, in: catalog) }
    }
}

/// The resolved numbers of one detector. Detector configurations read them by name, with the
/// seed's value as the fallback so a detector built without a catalog still runs as specified.
public struct CatalogThresholds: Sendable, Equatable {
    public var detectorID: String
    public var values: [String: Double]

    public init(detectorID: String, values: [String: Double]) {
        self.detectorID = detectorID
        self.values = values
    }

    public func value(_ name: String, default fallback: Double) -> Double {
        values[name] ?? fallback
    }
}
