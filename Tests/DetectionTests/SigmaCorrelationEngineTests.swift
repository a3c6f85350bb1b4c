@testable import Detection
import MWRASPCore
import Testing

@Suite struct SigmaCorrelationEngineTests {
    let t0 = DetectionTestEvents.t0
    let minute: Int64 = 60_000

    func engine(_ yaml: String, limits: SigmaCorrelationLimits = SigmaCorrelationLimits()) throws -> SigmaCorrelationEngine {
        SigmaCorrelationEngine(rules: [try SigmaCorrelationRule.parse(yaml: yaml, origin: "test.yml")], limits: limits)
    }

    /// Feeds one event that matched `rules`; fields resolve straight from the document.
    func feed(_ engine: SigmaCorrelationEngine, _ rules: [String], at ms: Int64, _ fields: [String: String] = [:]) -> [Finding] {
        let input = DetectionTestEvents.input(at: ms, fields)
        return engine.observe(matchedRules: rules, input: input, field: { input.text($0) })
    }

    static let failures = """
        title: Many failed logons
        id: corr-failures
        level: high
        correlation:
          type: event_count
          rules: [failed_logon]
          group-by: [TargetUserName]
          timespan: 5m
          condition: {gte: 3}
        """

    @Test func eventCountFiresOnceAndReArms() throws {
        let engine = try engine(Self.failures)
        let user = ["TargetUserName": "alice"]
        #expect(feed(engine, ["failed_logon"], at: t0, user).isEmpty)
        #expect(feed(engine, ["other_rule"], at: t0 + 1, user).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 1000, user).isEmpty)
        let findings = feed(engine, ["failed_logon"], at: t0 + 2000, user)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.detectorID == "corr-failures")
        #expect(finding.type == .sigmaCorrelation)
        #expect(finding.severity == .high)
        #expect(finding.eventIDs.count == 3)
        #expect(finding.indicators.contains(Indicator(name: "TargetUserName", value: "alice")))
        #expect(finding.indicators.contains(Indicator(name: "count", value: "3")))
        // The window restarted: the 4th and 5th events are not enough, the 6th fires again.
        #expect(feed(engine, ["failed_logon"], at: t0 + 3000, user).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 4000, user).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 5000, user).count == 1)
    }

    @Test func groupByKeepsEntitiesApart() throws {
        let engine = try engine(Self.failures)
        #expect(feed(engine, ["failed_logon"], at: t0, ["TargetUserName": "alice"]).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 1, ["TargetUserName": "bob"]).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 2, ["TargetUserName": "alice"]).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 3, ["TargetUserName": "bob"]).isEmpty)
        // Events without the group-by field are not counted at all.
        #expect(feed(engine, ["failed_logon"], at: t0 + 4).isEmpty)
        let findings = feed(engine, ["failed_logon"], at: t0 + 5, ["TargetUserName": "bob"])
        #expect(findings.first?.indicators.first == Indicator(name: "TargetUserName", value: "bob"))
        #expect(engine.groupCount == 2)
    }

    @Test func anEventExactlyOneTimespanLaterNoLongerSeesTheFirst() throws {
        let engine = try engine(Self.failures)
        let user = ["TargetUserName": "alice"]
        // In: 3 events within 5m - 1ms.
        #expect(feed(engine, ["failed_logon"], at: t0, user).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 1000, user).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0 + 5 * minute - 1, user).count == 1)

        let other = try self.engine(Self.failures)
        // Out: the first event is exactly 5m before the third, so the window holds 2.
        #expect(feed(other, ["failed_logon"], at: t0, user).isEmpty)
        #expect(feed(other, ["failed_logon"], at: t0 + 1000, user).isEmpty)
        #expect(feed(other, ["failed_logon"], at: t0 + 5 * minute, user).isEmpty)
        #expect(feed(other, ["failed_logon"], at: t0 + 5 * minute + 1, user).count == 1)
    }

    @Test func lateEventsWithinTheWindowCountOlderOnesDoNot() throws {
        let engine = try engine(Self.failures)
        let user = ["TargetUserName": "alice"]
        #expect(feed(engine, ["failed_logon"], at: t0 + 10 * minute, user).isEmpty)
        #expect(feed(engine, ["failed_logon"], at: t0, user).isEmpty)  // 10 minutes late: dropped
        #expect(feed(engine, ["failed_logon"], at: t0 + 6 * minute, user).isEmpty)  // 4 minutes late: counted
        let findings = feed(engine, ["failed_logon"], at: t0 + 8 * minute, user)
        #expect(findings.first?.eventIDs.count == 3)
    }

    @Test func valueCountCountsDistinctValues() throws {
        let engine = try engine("""
            title: Password spray
            correlation:
              type: value_count
              rules: [failed_logon]
              group-by: [IpAddress]
              timespan: 10m
              condition: {field: TargetUserName, gte: 3}
            """)
        func fail(_ user: String, _ at: Int64) -> [Finding] {
            feed(engine, ["failed_logon"], at: at, ["IpAddress": "10.0.0.9", "TargetUserName": user])
        }
        #expect(fail("a", t0).isEmpty)
        #expect(fail("a", t0 + 1).isEmpty)
        #expect(fail("b", t0 + 2).isEmpty)
        #expect(fail("b", t0 + 3).isEmpty)
        // "a" was last seen at t0 + 1: at t0 + 10m + 1 it has aged out.
        #expect(fail("c", t0 + 10 * minute + 1).isEmpty)
        let findings = fail("d", t0 + 10 * minute + 2)
        #expect(findings.count == 1)
        #expect(findings.first?.indicators.contains(Indicator(name: "distinct_values", value: "3")) == true)
        #expect(findings.first?.indicators.contains(Indicator(name: "field", value: "TargetUserName")) == true)
    }

    static let temporal = """
        title: Recon then exfil
        correlation:
          type: temporal
          rules: [recon, exfil]
          group-by: [host.name]
          timespan: 5m
        """

    @Test func temporalMatchesInAnyOrderWithinTheWindow() throws {
        let engine = try engine(Self.temporal)
        let host = ["host.name": "web1"]
        #expect(feed(engine, ["exfil"], at: t0, host).isEmpty)
        let findings = feed(engine, ["recon"], at: t0 + minute, host)
        #expect(findings.count == 1)
        #expect(findings.first?.eventIDs.count == 2)
        #expect(findings.first?.indicators.contains(Indicator(name: "rules", value: "recon,exfil")) == true)

        let late = try self.engine(Self.temporal)
        #expect(feed(late, ["exfil"], at: t0, host).isEmpty)
        #expect(feed(late, ["recon"], at: t0 + 5 * minute, host).isEmpty)  // exactly one timespan apart: out
        #expect(feed(late, ["recon"], at: t0 + 5 * minute - 1, ["host.name": "other"]).isEmpty)
    }

    @Test func temporalOrderedNeedsTheListedOrder() throws {
        let yaml = Self.temporal.replacing("type: temporal", with: "type: temporal_ordered")
        let reversed = try engine(yaml)
        let host = ["host.name": "web1"]
        #expect(feed(reversed, ["exfil"], at: t0, host).isEmpty)
        #expect(feed(reversed, ["recon"], at: t0 + minute, host).isEmpty)

        let ordered = try engine(yaml)
        #expect(feed(ordered, ["recon"], at: t0, host).isEmpty)
        #expect(feed(ordered, ["recon"], at: t0 + minute, host).isEmpty)
        let findings = feed(ordered, ["exfil"], at: t0 + 2 * minute, host)
        #expect(findings.count == 1)
        #expect(findings.first?.eventIDs.count == 2)
        // One event matching both rules does not complete the sequence alone.
        let single = try engine(yaml)
        #expect(feed(single, ["recon", "exfil"], at: t0, host).isEmpty)
        #expect(feed(single, ["exfil"], at: t0 + 1, host).count == 1)
    }

    @Test func aliasesJoinDifferentFieldNames() throws {
        let engine = try engine("""
            title: Logon from the scanner
            correlation:
              type: temporal
              rules: [port_scan, remote_logon]
              group-by: [attacker]
              timespan: 1h
              aliases:
                attacker:
                  port_scan: source.ip
                  remote_logon: IpAddress
            """)
        #expect(feed(engine, ["port_scan"], at: t0, ["source.ip": "203.0.113.5"]).isEmpty)
        #expect(feed(engine, ["remote_logon"], at: t0 + 1, ["IpAddress": "198.51.100.1"]).isEmpty)
        let findings = feed(engine, ["remote_logon"], at: t0 + 2, ["IpAddress": "203.0.113.5"])
        #expect(findings.count == 1)
        #expect(findings.first?.indicators.first == Indicator(name: "attacker", value: "203.0.113.5"))
    }

    @Test func rulesAreFoundByIdOrNameAndCountedOncePerEvent() throws {
        let engine = try engine("""
            title: Either rule
            correlation:
              type: event_count
              rules: [rule_a, 5a5c9d2e-0000-4000-8000-000000000001]
              timespan: 1m
              condition: {eq: 2}
            """)
        // Matched both referenced rules (name of one, id of the other): still one event.
        #expect(feed(engine, ["rule_a", "5a5c9d2e-0000-4000-8000-000000000001", "rule_a"], at: t0).isEmpty)
        #expect(feed(engine, ["5a5c9d2e-0000-4000-8000-000000000001"], at: t0 + 1).count == 1)
    }

    @Test func groupsAreCapped() throws {
        let engine = try engine(Self.failures, limits: SigmaCorrelationLimits(maxGroups: 100))
        for index in 0..<1000 {
            _ = feed(engine, ["failed_logon"], at: t0 + Int64(index), ["TargetUserName": "user\(index)"])
        }
        #expect(engine.groupCount <= 100)
    }
}
