import Detection
import MWRASPCore
import Testing

@Suite struct QuantumShorTests {
    // Ideal quantum correlations: E = ±0.7072 from counts, S = 4·0.7072 ≈ 2.83.
    static let idealCHSH = #"{"ab":[4268,732,732,4268],"ab_":[732,4268,4268,732],"a_b":[4268,732,732,4268],"a_b_":[4268,732,732,4268]}"#
    // E = 0.5, -0.5, 0.5, 0.5: S = 2.0 exactly, the classical bound.
    static let boundCHSH = #"{"ab":[3,1,1,3],"ab_":[1,3,3,1],"a_b":[3,1,1,3],"a_b_":[3,1,1,3]}"#
    // The last pair at E = 0.51: S = 2.01.
    static let justOverCHSH = #"{"ab":[3,1,1,3],"ab_":[1,3,3,1],"a_b":[3,1,1,3],"a_b_":[151,49,49,151]}"#
    // Two cells, x²/E each: exactly 3.841 and 3.842.
    static let chi3841 = #"{"observed":[7685841,7678159],"expected":[7682000,7682000]}"#
    static let chi3842 = #"{"observed":[7687842,7680158],"expected":[7684000,7684000]}"#

    static func event(period: Bool = true, qft: Bool = true, factorization: Bool = true,
                      chsh: String? = nil, chi: String? = nil, witness: String? = nil) throws -> DetectionInput {
        var quantum = #""signals":{"period_finding":\#(period),"qft_signature":\#(qft),"factorization":\#(factorization)}"#
        if let chsh { quantum += #","chsh":"# + chsh }
        if let chi { quantum += #","chi_squared":"# + chi }
        if let witness { quantum += #","entanglement_witness":"# + witness }
        return try CatalogFixtures.input(
            #"{"event":{"kind":"telemetry","dataset":"mwrasp.quantum"},"host":{"name":"kms-01"},"quantum":{"# + quantum + "}}")
    }

    let detector = QuantumShorDetector()

    @Test func twoSignalsAt07DoNotFire() throws {
        #expect(detector.evaluate(try Self.event(factorization: false, chsh: Self.idealCHSH, witness: "-0.1")).isEmpty)
        #expect(detector.evaluate(try Self.event(period: false, chsh: Self.idealCHSH, witness: "-0.1")).isEmpty)
    }

    @Test func threeSignalsAt1FireValidated() throws {
        let findings = detector.evaluate(try Self.event(chsh: Self.idealCHSH, chi: Self.chi3842, witness: "-0.08"))
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.detectorID == "QTD-001")
        #expect(f.type == .catalog)
        #expect(f.severity == .critical)
        #expect(f.confidence == 1.0)
        #expect(f.entities.hostName == "kms-01")
        #expect(CatalogFixtures.indicator(f, "validated") == "true")
        #expect(CatalogFixtures.indicator(f, "confirmations") == "3/3: chsh,chi_squared,entanglement_witness")
        let s = try #require(Double(CatalogFixtures.indicator(f, "chsh_s") ?? ""))
        #expect(abs(s - 2.8288) < 1e-9)
    }

    @Test func reconfiguredThresholdFiresAtExactly07() throws {
        var c = QuantumShorConfiguration()
        c.confidenceThreshold = 0.7
        let d = QuantumShorDetector(configuration: c)
        let f = try #require(d.evaluate(try Self.event(factorization: false, chsh: Self.idealCHSH, witness: "-0.1")).first)
        #expect(f.confidence == 0.7)
        // qft + factorization = 0.6 stays below.
        #expect(d.evaluate(try Self.event(period: false, chsh: Self.idealCHSH, witness: "-0.1")).isEmpty)
    }

    @Test func twoConfirmationsValidateOneDoesNot() throws {
        let two = try #require(detector.evaluate(try Self.event(chsh: Self.idealCHSH, witness: "-0.08")).first)
        #expect(CatalogFixtures.indicator(two, "validated") == "true")
        #expect(two.severity == .critical)

        let one = try #require(detector.evaluate(try Self.event(chsh: Self.idealCHSH)).first)
        #expect(CatalogFixtures.indicator(one, "validated") == "false")
        #expect(one.severity == .medium)
        #expect(one.confidence == 0.5)
        #expect(CatalogFixtures.indicator(one, "entanglement_witness") == "absent")

        var c = QuantumShorConfiguration()
        c.unvalidatedConfidenceFactor = 0
        #expect(QuantumShorDetector(configuration: c).evaluate(try Self.event(chsh: Self.idealCHSH)).isEmpty)
    }

    @Test func chshBoundaryIsStrict() throws {
        let at2 = try #require(detector.evaluate(try Self.event(chsh: Self.boundCHSH, witness: "-0.5")).first)
        #expect(CatalogFixtures.indicator(at2, "chsh_s") == "2.0")
        #expect(CatalogFixtures.indicator(at2, "validated") == "false")
        let over = try #require(detector.evaluate(try Self.event(chsh: Self.justOverCHSH, witness: "-0.5")).first)
        #expect(CatalogFixtures.indicator(over, "chsh_s") == "2.01")
        #expect(CatalogFixtures.indicator(over, "validated") == "true")
    }

    @Test func chiSquaredBoundaryIsStrict() throws {
        let at = try #require(detector.evaluate(try Self.event(chi: Self.chi3841, witness: "-0.5")).first)
        #expect(CatalogFixtures.indicator(at, "chi_squared") == "3.841")
        #expect(CatalogFixtures.indicator(at, "validated") == "false")
        let over = try #require(detector.evaluate(try Self.event(chi: Self.chi3842, witness: "-0.5")).first)
        #expect(CatalogFixtures.indicator(over, "chi_squared") == "3.842")
        #expect(CatalogFixtures.indicator(over, "validated") == "true")
    }

    @Test func witnessBoundaryIsStrict() throws {
        let zero = try #require(detector.evaluate(try Self.event(chsh: Self.idealCHSH, witness: "0")).first)
        #expect(CatalogFixtures.indicator(zero, "validated") == "false")
        let below = try #require(detector.evaluate(try Self.event(chsh: Self.idealCHSH, witness: "-0.001")).first)
        #expect(CatalogFixtures.indicator(below, "validated") == "true")
    }

    @Test func nonsenseMeasurementsAreNotComputable() throws {
        let zero = #"{"ab":[0,0,0,0],"ab_":[1,3,3,1],"a_b":[3,1,1,3],"a_b_":[3,1,1,3]}"#
        let negative = #"{"ab":[-3,1,1,3],"ab_":[1,3,3,1],"a_b":[3,1,1,3],"a_b_":[3,1,1,3]}"#
        let short = #"{"ab":[3,1,1],"ab_":[1,3,3,1],"a_b":[3,1,1,3],"a_b_":[3,1,1,3]}"#
        let missing = #"{"ab":[3,1,1,3]}"#
        let mismatched = #"{"observed":[1,2,3],"expected":[2,2]}"#
        let zeroExpected = #"{"observed":[5,5],"expected":[0,10]}"#
        for chsh in [zero, negative, short, missing, #""text""#] {
            let f = try #require(detector.evaluate(try Self.event(chsh: chsh, chi: mismatched, witness: "-0.5")).first)
            #expect(CatalogFixtures.indicator(f, "chsh_s")?.hasPrefix("not computable") == true)
            #expect(CatalogFixtures.indicator(f, "chi_squared")?.hasPrefix("not computable") == true)
            #expect(CatalogFixtures.indicator(f, "validated") == "false")
        }
        let f = try #require(detector.evaluate(try Self.event(chi: zeroExpected, witness: #""x""#)).first)
        #expect(CatalogFixtures.indicator(f, "chi_squared")?.hasPrefix("not computable") == true)
        #expect(CatalogFixtures.indicator(f, "entanglement_witness")?.hasPrefix("not computable") == true)
    }

    @Test func otherDatasetsAndShapesAreIgnored() throws {
        let other = try CatalogFixtures.input(#"{"event":{"kind":"telemetry","dataset":"mwrasp.other"},"quantum":{"signals":{"period_finding":true,"qft_signature":true,"factorization":true}}}"#)
        #expect(detector.evaluate(other).isEmpty)
        let noQuantum = try CatalogFixtures.input(#"{"event":{"kind":"telemetry","dataset":"mwrasp.quantum"},"quantum":[1,2]}"#)
        #expect(detector.evaluate(noQuantum).isEmpty)
        let stringSignals = try CatalogFixtures.input(#"{"event":{"kind":"telemetry","dataset":"mwrasp.quantum"},"quantum":{"signals":{"period_finding":"yes","qft_signature":true,"factorization":true}}}"#)
        #expect(detector.evaluate(stringSignals).isEmpty)
    }

    @Test func statisticsFromCounts() {
        #expect(QuantumMeasurements.correlation([4268, 732, 732, 4268]) == .value(0.7072))
        let s = QuantumMeasurements.chsh(ab: [1, 0, 0, 1], abPrime: [0, 1, 1, 0], aPrimeB: [1, 0, 0, 1], aPrimeBPrime: [1, 0, 0, 1])
        #expect(s == .value(4))  // the algebraic maximum
        let ideal = 1 / 2.0.squareRoot()
        let n = 1e6
        let pp = n * (1 + ideal) / 4, pm = n * (1 - ideal) / 4
        let q = QuantumMeasurements.chsh(ab: [pp, pm, pm, pp], abPrime: [pm, pp, pp, pm], aPrimeB: [pp, pm, pm, pp], aPrimeBPrime: [pp, pm, pm, pp])
        #expect(abs((q.number ?? 0) - 2 * 2.0.squareRoot()) < 1e-9)
        #expect(QuantumMeasurements.chiSquared(observed: [60, 40], expected: [50, 50]) == .value(4))
        if case .notComputable = QuantumMeasurements.chiSquared(observed: [1], expected: [1]) {} else { Issue.record("one cell is not a test") }
        if case .notComputable = QuantumMeasurements.correlation([1, 2, 3, .nan]) {} else { Issue.record("NaN accepted") }
    }
}

/// The seed's time budgets are measured by `DetectionBench` (phase 4, in `make bench`), not
/// asserted here; these check that the budget benchmark's inputs behave as it expects.
@Suite struct CatalogBudgetInputTests {
    @Test func theShorBudgetInputFiresAndValidates() throws {
        let input = try QuantumShorTests.event(chsh: QuantumShorTests.idealCHSH, chi: QuantumShorTests.chi3842, witness: "-0.08")
        let findings = QuantumShorDetector().evaluate(input)
        #expect(findings.count == 1)
        #expect(findings.first?.detectorID == "QTD-001")
    }

    @Test func complianceFindsNothingInALargeQuietEvent() throws {
        let filler = (0..<2000).map { #""f\#($0)":"value number \#($0) with some words""# }.joined(separator: ",")
        let input = try CatalogFixtures.input(#"{"event":{"kind":"event","dataset":"app"},"# + filler + "}")
        #expect(ComplianceDetector().evaluate(input).isEmpty)
    }
}
