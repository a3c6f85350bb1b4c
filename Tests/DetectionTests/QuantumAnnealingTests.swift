import Detection
import MWRASPCore
import Testing

@Suite struct QuantumAnnealingTests {
    static let ising = #""problem":{"variable_domain":"spin","max_order":2,"variables":100,"couplings":4950}"#
    static let schedule = #""schedule":[10.0,5.0,2.5,1.0,0.1]"#
    static func convergence(_ iterations: Int, _ baseline: Int) -> String {
        #""convergence":{"iterations":\#(iterations),"baseline_iterations":\#(baseline)}"#
    }

    static func job(_ parts: String...) throws -> DetectionInput {
        try CatalogFixtures.input(
            #"{"event":{"kind":"telemetry","dataset":"mwrasp.optimization"},"user":{"name":"svc-opt"},"optimization":{"# +
            parts.joined(separator: ",") + "}}")
    }

    let detector = QuantumAnnealingDetector()

    @Test func twoOfThreeFire() throws {
        let f = try #require(detector.evaluate(try Self.job(Self.ising, Self.schedule)).first)
        #expect(f.detectorID == "QTD-003")
        #expect(f.severity == .medium)
        #expect(abs(f.confidence - 2.0 / 3) < 1e-8)
        #expect(CatalogFixtures.indicator(f, "indicators") == "2/3: ising_structure,annealing_schedule")
        let all = try #require(detector.evaluate(try Self.job(Self.ising, Self.schedule, Self.convergence(40, 5000))).first)
        #expect(all.confidence == 1)
        #expect(detector.evaluate(try Self.job(Self.schedule, Self.convergence(40, 5000))).count == 1)
    }

    @Test func oneIndicatorDoesNot() throws {
        #expect(detector.evaluate(try Self.job(Self.ising)).isEmpty)
        #expect(detector.evaluate(try Self.job(Self.schedule)).isEmpty)
        #expect(detector.evaluate(try Self.job(Self.convergence(40, 5000))).isEmpty)
    }

    @Test func convergenceBoundaryIsStrict() throws {
        // 10× exactly is not over the threshold; 10.1× is.
        #expect(detector.evaluate(try Self.job(Self.ising, Self.convergence(100, 1000))).isEmpty)
        #expect(detector.evaluate(try Self.job(Self.ising, Self.convergence(100, 1010))).count == 1)
    }

    @Test func nonIsingAndNonAnnealingShapes() throws {
        let cubic = #""problem":{"variable_domain":"spin","max_order":3,"couplings":10}"#
        let continuous = #""problem":{"variable_domain":"real","couplings":10}"#
        let rising = #""schedule":[1.0,2.0,3.0]"#
        let flat = #""schedule":[1.0,1.0,1.0]"#
        let short = #""schedule":[2.0,1.0]"#
        for problem in [cubic, continuous] {
            for schedule in [rising, flat, short] {
                #expect(detector.evaluate(try Self.job(problem, schedule)).isEmpty)
            }
        }
        var c = QuantumAnnealingConfiguration()
        c.minIndicators = 1
        #expect(QuantumAnnealingDetector(configuration: c).evaluate(try Self.job(Self.ising)).count == 1)
    }
}
