import Detection
import Foundation
import MWRASPCore
import Testing

@Suite struct CatalogTests {
    @Test func loadsTheBuiltInDefinitions() throws {
        let catalog = try Catalog.load()
        #expect(catalog.definitions.map(\.id) == ["CANARY", "COMP-001", "QTD-001", "QTD-002", "QTD-003"])
        #expect(catalog.workflowIDs == ["AUTO-QT-001", "COMP-001", "INC-001", "QTD-001", "QTD-002", "QTD-003"])
        let shor = try #require(catalog["QTD-001"])
        #expect(shor.severity == "critical")
        #expect(shor.budgetsMs == ["detect": 20, "validate": 15, "respond": 15, "total": 50])
        #expect(shor.inputs.first?.dataset == "mwrasp.quantum")
        #expect(shor.defaultValue("confidence") == 0.85)
        #expect(shor.defaultValue("chsh_s") == 2.0)
        #expect(shor.defaultValue("chi_squared") == 3.841)
        #expect(shor.defaultValue("entanglement_witness") == 0)
        #expect(shor.defaultValue("confirmations_required") == 2)
        #expect(shor.defaultValue("weight_period_finding") == 0.4)
        #expect(catalog["QTD-002"]?.defaultValue("advantage_ratio") == 0.1)
        #expect(catalog["QTD-003"]?.defaultValue("min_indicators") == 2)
        #expect(catalog["COMP-001"]?.defaultValue("gdpr_notification_hours") == 72)
        #expect(catalog["QTD-002"]?.severity == "high")
        #expect(catalog["QTD-002"]?.budgetsMs == ["total": 75])
        #expect(catalog["QTD-003"]?.budgetsMs == ["total": 100])
        #expect(catalog["QTD-003"]?.severity == "medium")
        for d in catalog.definitions {
            #expect(!d.mechanism.isEmpty)
            #expect(d.response?.workflows.isEmpty == false)
        }
    }

    /// The YAML defaults and the code's fallbacks are the same numbers, so a detector built
    /// without the catalog behaves as one built from it.
    @Test func yamlDefaultsMatchTheCode() throws {
        let catalog = try Catalog.load()
        let none = CatalogConfiguration()
        #expect(QuantumShorConfiguration(try none.thresholds(for: "QTD-001", in: catalog)) == QuantumShorConfiguration())
        #expect(QuantumGroverConfiguration(try none.thresholds(for: "QTD-002", in: catalog)) == QuantumGroverConfiguration())
        #expect(QuantumAnnealingConfiguration(try none.thresholds(for: "QTD-003", in: catalog)) == QuantumAnnealingConfiguration())
        #expect(ComplianceConfiguration(try none.thresholds(for: "COMP-001", in: catalog)) == ComplianceConfiguration())
    }

    @Test func listsAsJSON() throws {
        let catalog = try Catalog.load()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(catalog.definitions), as: UTF8.self)
        #expect(json.contains(#""id":"QTD-001""#))
        #expect(json.contains(#""seed_name":"#))
        #expect(json.contains(#""budgets_ms":{"detect":20"#))
    }

    @Test func overridesApply() throws {
        let catalog = try Catalog.load()
        let config = try CatalogConfiguration.parse(yaml: """
            QTD-001:
              confidence: 0.7
            COMP-001:
              gdpr_notification_hours: 48
            """)
        let set = try CatalogDetectors.make(
            catalog: catalog, configuration: config,
            canaries: CanaryRegistry(configuration: CanaryConfiguration(baseURL: "https://m.example", domain: "c.example")))
        #expect(set.shor.configuration.confidenceThreshold == 0.7)
        #expect(set.shor.configuration.chiSquaredThreshold == 3.841)
        #expect(set.compliance.configuration.gdprNotificationHours == 48)
        #expect(set.all.count == 5)
        let twoSignals = try QuantumShorTests.event(factorization: false, chsh: QuantumShorTests.idealCHSH, witness: "-0.1")
        #expect(set.shor.evaluate(twoSignals).count == 1)
        #expect(QuantumShorDetector().evaluate(twoSignals).isEmpty)
    }

    @Test func badOverridesAreErrors() throws {
        let catalog = try Catalog.load()
        #expect(throws: CatalogError.self) {
            try CatalogConfiguration(overrides: ["QTD-001": ["confidance": 0.7]]).validate(against: catalog)
        }
        #expect(throws: CatalogError.self) {
            try CatalogConfiguration(overrides: ["QTD-999": ["confidence": 0.7]]).validate(against: catalog)
        }
        #expect(throws: CatalogError.self) { try CatalogConfiguration.parse(yaml: "QTD-001: [1, 2]") }
        #expect(try CatalogConfiguration.parse(yaml: "  \n") == CatalogConfiguration())
    }

    @Test func loadsUserDefinitionsFromADirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            id: ACME-001
            name: Off-hours admin logins
            kind: detector
            detection_type: catalog
            severity: medium
            mechanism: Counts admin logins outside 07:00-19:00 per user (implemented as a Sigma correlation rule).
            inputs:
              - {dataset: auth.log, fields: [user.name, event.action]}
            thresholds:
              - {name: max_logins, default: 3, description: Logins per night before a finding.}
            response: {workflows: [INC-001]}
            """.write(to: dir.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        try "ignored".write(to: dir.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)

        let catalog = try Catalog.load(userDirectory: dir)
        #expect(catalog.definitions.count == 6)
        #expect(catalog["ACME-001"]?.defaultValue("max_logins") == 3)
        let t = try CatalogConfiguration(overrides: ["ACME-001": ["max_logins": 5]]).thresholds(for: "ACME-001", in: catalog)
        #expect(t.value("max_logins", default: 0) == 5)

        // A user definition may not shadow a built-in one.
        try """
            id: QTD-001
            name: mine
            kind: detector
            detection_type: catalog
            severity: low
            mechanism: x
            inputs: []
            thresholds: []
            """.write(to: dir.appendingPathComponent("shadow.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: CatalogError.self) { try Catalog.load(userDirectory: dir) }
    }

    @Test func builtInDirectoryCanReplaceTheBundle() throws {
        let dir = try #require(Catalog.bundledDirectory)
        #expect(try Catalog.load(builtInDirectory: dir).definitions == Catalog.load().definitions)
    }

    @Test func malformedDefinitionsAreErrors() {
        #expect(throws: CatalogError.self) { try Catalog.definition(yaml: "id: X\nname: y", origin: "x.yaml") }
        #expect(throws: CatalogError.self) {
            try Catalog.definition(yaml: """
                id: X
                name: y
                kind: detector
                detection_type: catalog
                severity: low
                mechanism: " "
                inputs: []
                thresholds: []
                """, origin: "x.yaml")
        }
    }
}
