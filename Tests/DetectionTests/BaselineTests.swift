@testable import Detection
import Foundation
import MWRASPCore
import Testing

@Suite struct EWMABaselineTests {
    @Test func mathMatchesHandComputedValues() throws {
        var b = EWMABaseline(alpha: 0.1)
        #expect(b.zScore(10) == nil)
        b.update(10)
        #expect(b.mean == 10 && b.variance == 0 && b.count == 1)
        b.update(20)  // diff 10, incr 1: mean 11, var 0.9 * (0 + 10 * 1) = 9
        #expect(abs(b.mean - 11) < 1e-12)
        #expect(abs(b.variance - 9) < 1e-12)
        // z uses the baseline before the update: (5 - 11) / 3 = -2.
        #expect(abs(try #require(b.zScore(5)) + 2) < 1e-12)
        b.update(5)  // diff -6, incr -0.6: mean 10.4, var 0.9 * (9 + 3.6) = 11.34
        #expect(abs(b.mean - 10.4) < 1e-12)
        #expect(abs(b.variance - 11.34) < 1e-12)
        #expect(b.count == 3)
    }

    @Test func flatHistoryAndFloor() {
        var b = EWMABaseline(alpha: 0.5)
        b.update(4)
        b.update(4)
        #expect(b.zScore(4) == 0)
        #expect(b.zScore(5) == .infinity)
        #expect(b.zScore(3) == -.infinity)
        #expect(b.zScore(6, floor: 1) == 2)
        #expect(!b.isWarm(minSamples: 3) && b.isWarm(minSamples: 2))
    }
}

@Suite struct BaselineDetectorTests {
    let t0 = DetectionTestEvents.t0

    func bytes(_ d: BaselineDetector, _ value: Double, at ms: Int64, host: String = "web1") -> [Finding] {
        d.evaluate(DetectionTestEvents.input(#"{"@timestamp": \#(ms), "host": {"name": "\#(host)"}, "network": {"bytes": \#(value)}}"#))
    }

    /// alpha 0.5, two samples 10 and 14: mean 12, variance 4, so 18 is exactly z = 3.
    func boundary(_ last: Double, direction: BaselineDirection = .above) -> [Finding] {
        let d = BaselineDetector(specs: [BaselineSpec(metric: "bytes", entityField: "host.name", value: .field(path: "network.bytes"),
                                                      alpha: 0.5, minSamples: 2, direction: direction)])
        #expect(bytes(d, 10, at: t0).isEmpty)
        #expect(bytes(d, 14, at: t0 + 1).isEmpty)
        return bytes(d, last, at: t0 + 2)
    }

    @Test func thresholdIsInclusive() throws {
        let findings = boundary(18)
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.detectorID == "BASELINE" && f.type == .baseline)
        #expect(f.indicators == [Indicator(name: "metric", value: "bytes"), Indicator(name: "entity", value: "web1"),
                                 Indicator(name: "value", value: "18"), Indicator(name: "mean", value: "12"),
                                 Indicator(name: "stddev", value: "2"), Indicator(name: "z", value: "3")])
        #expect(boundary(17.999).isEmpty)
        #expect(boundary(6).isEmpty)  // z = -3 but direction above
        #expect(boundary(6, direction: .both).count == 1)
        #expect(boundary(6.001, direction: .below).isEmpty)
    }

    @Test func warmUpThenSpikeFiresNormalVariationDoesNot() {
        let d = BaselineDetector(specs: [BaselineSpec(id: "NET-BYTES", metric: "bytes", entityField: "host.name",
                                                      value: .field(path: "network.bytes"))])
        // Even a huge value is not judged during the 10-sample warm-up.
        #expect(bytes(d, 1_000_000, at: t0, host: "cold").isEmpty)
        let normal: [Double] = [100, 104, 97, 101, 99, 103, 98, 102, 100, 96, 105, 99, 101, 97, 103, 100, 102, 98]
        for (index, value) in normal.enumerated() { #expect(bytes(d, value, at: t0 + Int64(index)).isEmpty, "\(value)") }
        let spike = bytes(d, 400, at: t0 + 100)
        #expect(spike.count == 1)
        #expect(spike.first?.detectorID == "NET-BYTES")
        #expect(d.entityCount(spec: 0) == 2)
    }

    @Test func countBucketsWithGapsAndEarlyBurst() throws {
        let spec = BaselineSpec(metric: "events_per_minute", entityField: "user.name", value: .count(intervalSeconds: 60),
                                minSamples: 5, minStandardDeviation: 1, maxEmptyIntervals: 3)
        let d = BaselineDetector(specs: [spec])
        let minute: Int64 = 60_000
        func event(_ ms: Int64) -> [Finding] {
            d.evaluate(DetectionTestEvents.input(#"{"@timestamp": \#(ms), "user": {"name": "alice"}}"#))
        }
        // Two events per minute for minutes 0...5: buckets 0...4 are closed (5 samples of 2).
        for m: Int64 in 0..<6 { #expect(event(t0 + m * minute).isEmpty); #expect(event(t0 + m * minute + 1000).isEmpty) }
        var b = try #require(d.baseline(spec: 0, entity: "alice"))
        #expect(b.count == 5 && b.mean == 2 && b.variance == 0)
        // Silence for minutes 6...19, then one event: bucket 5 (2) closes, only 3 zeros are fed.
        #expect(event(t0 + 20 * minute).isEmpty)
        b = try #require(d.baseline(spec: 0, entity: "alice"))
        #expect(b.count == 9)
        let expected = [2.0, 0, 0, 0].reduce(into: EWMABaseline(alpha: 0.1, mean: 2, variance: 0, count: 5)) { $0.update($1) }
        #expect(abs(b.mean - expected.mean) < 1e-12)
        // A burst in minute 21 fires as soon as the open bucket's count crosses mean + 3 sigma,
        // and only once for that bucket.
        var fired: [Finding] = []
        for i in 0..<20 { fired += event(t0 + 21 * minute + Int64(i)) }
        #expect(fired.count == 1)
        let count = Double(try #require(fired.first?.indicators.first { $0.name == "value" }?.value) ?? "0")!
        let sd = max(expected.standardDeviation, 1)
        #expect(count >= expected.mean + 3 * sd && count - 1 < expected.mean + 3 * sd)
    }

    @Test func entitiesAreCapped() {
        let d = BaselineDetector(specs: [BaselineSpec(metric: "m", entityField: "host.name", value: .field(path: "network.bytes"),
                                                      maxEntities: 50)])
        for i in 0..<500 { _ = bytes(d, 1, at: t0 + Int64(i), host: "h\(i)") }
        #expect(d.entityCount(spec: 0) <= 50)
        #expect(d.baseline(spec: 0, entity: "h499") != nil)
        #expect(d.baseline(spec: 0, entity: "h0") == nil)
    }

    @Test func specsDecodeWithDefaults() throws {
        let json = #"{"metric": "logons", "entityField": "source.ip", "value": {"type": "count", "intervalSeconds": 300}, "severity": "high"}"#
        let spec = try JSONDecoder().decode(BaselineSpec.self, from: Data(json.utf8))
        #expect(spec == BaselineSpec(metric: "logons", entityField: "source.ip", value: .count(intervalSeconds: 300), severity: .high))
        let again = try JSONDecoder().decode(BaselineSpec.self, from: JSONEncoder().encode(spec))
        #expect(again == spec)
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(BaselineSpec.self, from: Data(#"{"metric": "m", "entityField": "x", "value": {"type": "sum"}}"#.utf8))
        }
    }
}
