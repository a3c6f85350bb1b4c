@testable import Detection
import Testing

@Suite struct SigmaCorrelationParseTests {
    static let full = """
        title: Brute force then success
        id: 0e95725d-7320-415d-80f7-004da920fc11
        name: bruteforce_success
        status: experimental
        level: high
        description: Many failures then one success
        correlation:
          type: temporal_ordered
          rules:
            - failed_logon
            - successful_logon
          group-by:
            - user
          timespan: 1h
          aliases:
            user:
              failed_logon: TargetUserName
              successful_logon: SubjectUserName
          generate: true
        """

    @Test func parsesEveryKey() throws {
        let rule = try SigmaCorrelationRule.parse(yaml: Self.full, origin: "t.yml")
        #expect(rule.title == "Brute force then success")
        #expect(rule.id == "0e95725d-7320-415d-80f7-004da920fc11")
        #expect(rule.name == "bruteforce_success")
        #expect(rule.severity == .high)
        #expect(rule.type == .temporalOrdered)
        #expect(rule.rules == ["failed_logon", "successful_logon"])
        #expect(rule.groupBy == ["user"])
        #expect(rule.timespanMilliseconds == 3_600_000)
        #expect(rule.condition == nil)
        #expect(rule.generate)
        #expect(rule.resolvedField("user", forRule: "failed_logon") == "TargetUserName")
        #expect(rule.resolvedField("user", forRule: "successful_logon") == "SubjectUserName")
        #expect(rule.resolvedField("host", forRule: "failed_logon") == "host")
        #expect(rule.detectorID == "0e95725d-7320-415d-80f7-004da920fc11")
    }

    @Test func parsesValueCountCondition() throws {
        let rule = try SigmaCorrelationRule.parse(yaml: """
            title: Spray
            correlation:
              type: value_count
              rules: failed_logon
              group-by: [IpAddress]
              timespan: 30s
              condition:
                field: TargetUserName
                gt: 5
            """, origin: "t.yml")
        #expect(rule.condition == SigmaCorrelationCondition(op: .gt, threshold: 5, field: "TargetUserName"))
        #expect(rule.timespanMilliseconds == 30_000)
        #expect(rule.severity == .medium)
        #expect(rule.detectorID == "t.yml")
    }

    @Test func timespanUnits() {
        #expect(SigmaCorrelationTimespan.milliseconds("30s") == 30_000)
        #expect(SigmaCorrelationTimespan.milliseconds("5m") == 300_000)
        #expect(SigmaCorrelationTimespan.milliseconds("1h") == 3_600_000)
        #expect(SigmaCorrelationTimespan.milliseconds("1d") == 86_400_000)
        #expect(SigmaCorrelationTimespan.milliseconds("5x") == nil)
        #expect(SigmaCorrelationTimespan.milliseconds("0m") == nil)
        #expect(SigmaCorrelationTimespan.milliseconds("m") == nil)
        #expect(SigmaCorrelationTimespan.milliseconds("-5m") == nil)
    }

    private func refusal(_ correlation: String, title: String = "title: X\n") -> String {
        do {
            _ = try SigmaCorrelationRule.parse(yaml: title + "correlation:\n" + correlation, origin: "bad.yml")
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func refusesWithWhereAndWhy() {
        #expect(refusal("  type: event_count\n  rules: [a]\n  timespan: 5x\n  condition: {gte: 3}\n")
            == "bad.yml: correlation.timespan: '5x' is not a duration (a positive number then s, m, h, d or w)")
        #expect(refusal("  type: count\n  rules: [a]\n  timespan: 5m\n").hasPrefix("bad.yml: correlation.type: 'count' is not one of"))
        #expect(refusal("  type: event_count\n  rules: [a]\n  timespan: 5m\n").hasPrefix("bad.yml: correlation.condition: missing"))
        #expect(refusal("  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: many}\n")
            == "bad.yml: correlation.condition.gte: 'many' is not a non-negative integer")
        #expect(refusal("  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {about: 3}\n")
            .hasPrefix("bad.yml: correlation.condition.about: unknown operator"))
        #expect(refusal("  type: value_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 3}\n")
            .hasPrefix("bad.yml: correlation.condition.field: missing"))
        #expect(refusal("  type: temporal\n  rules: [a]\n  timespan: 5m\n")
            == "bad.yml: correlation.rules: temporal needs at least two rules")
        #expect(refusal("  type: temporal\n  rules: [a, b]\n  timespan: 5m\n  aliases:\n    ip:\n      c: src\n")
            == "bad.yml: correlation.aliases.ip.c: not one of correlation.rules")
        #expect(refusal("  type: event_count\n  timespan: 5m\n  condition: {gte: 3}\n") == "bad.yml: correlation.rules: missing")
        #expect(refusal("  type: event_count\n  rules: [a]\n  condition: {gte: 3}\n") == "bad.yml: correlation.timespan: missing")
        #expect(refusal("  type: event_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 3}\n", title: "") == "bad.yml: title: missing")
        #expect(refusal("  - just a list\n").hasPrefix("bad.yml: correlation: must be a mapping"))
        #expect(refusal("  type: [unclosed\n").hasPrefix("bad.yml: not valid YAML"))
    }
}
