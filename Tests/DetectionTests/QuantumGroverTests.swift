import Detection
import MWRASPCore
import Testing

@Suite struct QuantumGroverTests {
    static func probe(_ user: String, key: String, hit: Bool, keyspace: Double? = nil, at ms: Int64) throws -> DetectionInput {
        let size = keyspace.map { #","keyspace_size":\#(Int($0))"# } ?? ""
        return try CatalogFixtures.input(
            #"{"event":{"kind":"telemetry","dataset":"mwrasp.query"},"user":{"name":"\#(user)"},"query":{"key":"\#(key)","hit":\#(hit)\#(size)}}"#,
            at: ms)
    }

    /// `count` probes of distinct keys, `stepMs` apart; returns every finding.
    static func run(_ d: QuantumGroverDetector, user: String = "p", count: Int, stepMs: Int64, distinct: Int? = nil,
                    hit: (Int) -> Bool = { _ in false }, keyspace: Double? = 1_048_576, start: Int64 = CatalogFixtures.t0) throws -> [Finding] {
        var out: [Finding] = []
        for i in 0..<count {
            let key = "k\(i % (distinct ?? count))"
            out += d.evaluate(try probe(user, key: key, hit: hit(i), keyspace: keyspace, at: start + Int64(i) * stepMs))
        }
        return out
    }

    @Test func enumerationFiresOncePerWindow() throws {
        let d = QuantumGroverDetector()
        let findings = try Self.run(d, count: 100, stepMs: 500)
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.detectorID == "QTD-002")
        #expect(f.severity == .high)
        #expect(f.entities.userName == "p")
        #expect(CatalogFixtures.indicator(f, "distinct_keys") == "50")
        #expect(CatalogFixtures.indicator(f, "hit_ratio") == "0.0")
        #expect(CatalogFixtures.indicator(f, "keyspace_source") == "sent")
    }

    @Test func ordinaryUseDoesNotFire() throws {
        // Few distinct keys, mostly hits.
        #expect(try Self.run(QuantumGroverDetector(), count: 200, stepMs: 100, distinct: 5, hit: { _ in true }).isEmpty)
        // Many distinct keys, but they exist (a batch job reading records): hit ratio too high.
        #expect(try Self.run(QuantumGroverDetector(), count: 200, stepMs: 100, hit: { $0 % 2 == 0 }).isEmpty)
        // Slow: one new key a minute never gathers 50 in a 60 s window.
        #expect(try Self.run(QuantumGroverDetector(), count: 100, stepMs: 60_000).isEmpty)
    }

    @Test func hitRatioBoundary() throws {
        // 100 probes, 10 hits = 0.1: at the threshold, fires.
        #expect(try Self.run(QuantumGroverDetector(), count: 100, stepMs: 100, hit: { $0 % 10 == 0 }).count == 1)
        // One hit in five (0.2): never.
        #expect(try Self.run(QuantumGroverDetector(), count: 60, stepMs: 100, hit: { $0 % 5 == 0 }).isEmpty)
    }

    @Test func rateBoundary() throws {
        var c = QuantumGroverConfiguration()
        c.windowSeconds = 3600
        // 50 distinct keys over 49 s is 1.02/s: fires. Over 98 s (0.51/s): does not.
        #expect(try Self.run(QuantumGroverDetector(configuration: c), count: 50, stepMs: 1000).count == 1)
        #expect(try Self.run(QuantumGroverDetector(configuration: c), count: 50, stepMs: 2000).isEmpty)
        // Exactly at the rate does not exceed it: 51 keys over 51 s is 1.0/s.
        c.minDistinctKeys = 51
        #expect(try Self.run(QuantumGroverDetector(configuration: c), count: 51, stepMs: 1020).isEmpty)
        #expect(try Self.run(QuantumGroverDetector(configuration: c), count: 51, stepMs: 1000).count == 1)
    }

    @Test func advantageTestOnTheSearchSpace() throws {
        // sqrt(100) = 10 = 0.1·100: no advantage, no finding. N = 101: sqrt < 10.1, fires.
        #expect(try Self.run(QuantumGroverDetector(), count: 100, stepMs: 100, keyspace: 100).isEmpty)
        #expect(try Self.run(QuantumGroverDetector(), count: 100, stepMs: 100, keyspace: 101).count == 1)
    }

    @Test func estimatesTheSearchSpaceWhenNotSent() throws {
        let f = try #require(try Self.run(QuantumGroverDetector(), count: 60, stepMs: 100, keyspace: nil).first)
        #expect(CatalogFixtures.indicator(f, "keyspace_source") == "estimated")
        #expect(QuantumKeyspace.estimate(key: "k123") == 36 * 36 * 36 * 36)
        #expect(QuantumKeyspace.estimate(key: "42") == 100)
        #expect(QuantumKeyspace.estimate(key: "00ff") == 65536)
        #expect(QuantumKeyspace.estimate(key: "Ab") == 62 * 62)
    }

    @Test func principalsAreSeparateAndBounded() throws {
        var c = QuantumGroverConfiguration()
        c.maxPrincipals = 10
        let d = QuantumGroverDetector(configuration: c)
        // 60 principals, 1 probe each: no one enumerates, and at most 10 are remembered.
        for i in 0..<60 {
            #expect(d.evaluate(try Self.probe("u\(i)", key: "k\(i)", hit: false, keyspace: 1e6, at: CatalogFixtures.t0 + Int64(i))).isEmpty)
        }
        #expect(d.trackedPrincipals <= 10)
        // Probes split over two principals do not add up.
        let e = QuantumGroverDetector()
        var findings: [Finding] = []
        for i in 0..<80 {
            findings += e.evaluate(try Self.probe(i % 2 == 0 ? "a" : "b", key: "k\(i)", hit: false, keyspace: 1e6, at: CatalogFixtures.t0 + Int64(i) * 100))
        }
        #expect(findings.isEmpty)
    }

    @Test func boundedProbesPerPrincipal() throws {
        var c = QuantumGroverConfiguration()
        c.maxProbesPerPrincipal = 40
        // Only 40 remembered, so 50 distinct keys are never in view.
        #expect(try Self.run(QuantumGroverDetector(configuration: c), count: 500, stepMs: 10).isEmpty)
    }
}
