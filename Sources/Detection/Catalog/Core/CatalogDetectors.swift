/// Builds the catalog's detectors with the thresholds a deployment configured: the one place
/// that maps catalog ids to code. User definitions have no code, so they are not here.
public enum CatalogDetectors {
    public struct Instances: Sendable {
        public var shor: QuantumShorDetector
        public var grover: QuantumGroverDetector
        public var annealing: QuantumAnnealingDetector
        public var compliance: ComplianceDetector
        public var canary: CanaryDetector

        public var all: [any EventDetector] { [shor, grover, annealing, compliance, canary] }
    }

    public static func make(catalog: Catalog, configuration: CatalogConfiguration,
                            canaries: CanaryRegistry) throws(CatalogError) -> Instances {
        try configuration.validate(against: catalog)
        return Instances(
            shor: QuantumShorDetector(configuration: QuantumShorConfiguration(
                try configuration.thresholds(for: QuantumShorConfiguration.detectorID, in: catalog))),
            grover: QuantumGroverDetector(configuration: QuantumGroverConfiguration(
                try configuration.thresholds(for: QuantumGroverConfiguration.detectorID, in: catalog))),
            annealing: QuantumAnnealingDetector(configuration: QuantumAnnealingConfiguration(
                try configuration.thresholds(for: QuantumAnnealingConfiguration.detectorID, in: catalog))),
            compliance: ComplianceDetector(configuration: ComplianceConfiguration(
                try configuration.thresholds(for: ComplianceConfiguration.detectorID, in: catalog))),
            canary: CanaryDetector(registry: canaries))
    }
}
