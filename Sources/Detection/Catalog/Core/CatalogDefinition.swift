import MWRASPCore

/// One entry of the catalog (DESIGN.md §4): a seed workflow id and the real mechanism behind
/// it, as shipped in `Definitions/*.yaml` or added by a user in the same format. The thresholds
/// listed here are the defaults; `CatalogConfiguration` overrides them per deployment.
///
/// User definitions are data only: they are listed at `GET /v1/catalog` and their thresholds
/// are configurable, but code exists only for the built-in mechanisms (see `kind`).
public struct CatalogDefinition: Codable, Sendable, Equatable {
    /// The seed's workflow id (`QTD-001`) or our own (`CANARY`).
    public var id: String
    /// What MWRASP calls it.
    public var name: String
    /// The seed's own name for it, kept so analysts can map the seed document to the product.
    public var seedName: String?
    /// `detector` (per-event or windowed), `classifier` (content), `honeytoken`.
    public var kind: String
    /// Which `DetectionType` its findings carry: `catalog`, `compliance`, `canary`.
    public var detectionType: String
    public var severity: String
    /// One honest paragraph: what it computes, from which inputs.
    public var mechanism: String
    public var inputs: [CatalogInput]
    public var thresholds: [CatalogThreshold]
    /// The response workflow a finding of this detector starts, and when.
    public var response: CatalogResponse?
    /// The seed's time budgets in milliseconds (`detect`, `validate`, `respond`), when it gives any.
    public var budgetsMs: [String: Int]?

    public init(id: String, name: String, seedName: String? = nil, kind: String, detectionType: String,
                severity: String, mechanism: String, inputs: [CatalogInput] = [], thresholds: [CatalogThreshold] = [],
                response: CatalogResponse? = nil, budgetsMs: [String: Int]? = nil) {
        self.id = id
        self.name = name
        self.seedName = seedName
        self.kind = kind
        self.detectionType = detectionType
        self.severity = severity
        self.mechanism = mechanism
        self.inputs = inputs
        self.thresholds = thresholds
        self.response = response
        self.budgetsMs = budgetsMs
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, severity, mechanism, inputs, thresholds, response
        case seedName = "seed_name"
        case detectionType = "detection_type"
        case budgetsMs = "budgets_ms"
    }

    /// The default of threshold `name`, if the definition declares it.
    public func defaultValue(_ name: String) -> Double? {
        thresholds.first { $0.name == name }?.default
    }
}

/// Where a detector reads from: a dataset (`mwrasp.quantum`, or `*` for every event) and the
/// fields it uses.
public struct CatalogInput: Codable, Sendable, Equatable {
    public var dataset: String
    public var eventKind: String?
    public var fields: [String]

    public init(dataset: String, eventKind: String? = nil, fields: [String]) {
        self.dataset = dataset
        self.eventKind = eventKind
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey {
        case dataset, fields
        case eventKind = "event_kind"
    }
}

/// A tunable number. `default` is the seed's value where the seed gives one; `source` says
/// whether it came from the seed or is MWRASP's own documented choice.
public struct CatalogThreshold: Codable, Sendable, Equatable {
    public var name: String
    public var `default`: Double
    public var source: String?
    public var description: String

    public init(name: String, default value: Double, source: String? = nil, description: String) {
        self.name = name
        self.default = value
        self.source = source
        self.description = description
    }
}

/// The seed workflow a finding triggers (`QTD-001`, `AUTO-QT-001`, `COMP-001`...), and the
/// condition, in words, under which the orchestrator should start it.
public struct CatalogResponse: Codable, Sendable, Equatable {
    public var workflows: [String]
    public var when: String?

    public init(workflows: [String], when: String? = nil) {
        self.workflows = workflows
        self.when = when
    }
}
