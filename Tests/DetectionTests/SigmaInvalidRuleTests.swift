import Detection
import Testing

@Suite struct SigmaInvalidRuleTests {
    func error(_ detection: String, extra: String = "") -> SigmaRuleError? {
        let yaml = """
        title: Bad
        id: bad-1
        logsource:
            product: windows
        \(extra)detection:
        \(detection)
        """
        do {
            _ = try SigmaRuleParser.parse(yaml: yaml, origin: "bad.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownModifier() throws {
        let e = try #require(error("    selection:\n        Image|foo: 'x'\n    condition: selection"))
        #expect(e.path == "detection.selection.Image|foo")
        #expect(e.reason == "unknown modifier 'foo'")
        #expect(e.key == "unknown_modifier")
        #expect(e.description == "bad.yml: detection.selection.Image|foo: unknown modifier 'foo'")
    }

    @Test func conditionErrors() throws {
        let unknown = try #require(error("    selection:\n        Image: 'x'\n    condition: selection and other"))
        #expect(unknown.path == "detection.condition")
        #expect(unknown.reason == "unknown selection 'other'")
        let paren = try #require(error("    selection:\n        Image: 'x'\n    condition: (selection"))
        #expect(paren.reason == "missing ')'")
        let of = try #require(error("    selection:\n        Image: 'x'\n    condition: 1 of filter_*"))
        #expect(of.reason == "'1 of filter_*' matches no selection")
        let aggregation = try #require(error("    selection:\n        Image: 'x'\n    condition: selection | count() > 5"))
        #expect(aggregation.key == "unsupported_aggregation")
        let missing = try #require(error("    selection:\n        Image: 'x'"))
        #expect(missing.path == "detection.condition")
        #expect(missing.key == "missing_field")
    }

    @Test func valueErrors() throws {
        let regex = try #require(error("    selection:\n        CommandLine|re: '(unclosed'\n    condition: selection"))
        #expect(regex.path == "detection.selection.CommandLine|re")
        #expect(regex.key == "invalid_regex")
        let cidr = try #require(error("    selection:\n        Ip|cidr: '10.0.0.0/33'\n    condition: selection"))
        #expect(cidr.reason == "invalid CIDR '10.0.0.0/33'")
        let number = try #require(error("    selection:\n        Size|gt: 'big'\n    condition: selection"))
        #expect(number.reason == "'big' is not a number")
        let flags = try #require(error("    selection:\n        CommandLine|contains|i: 'x'\n    condition: selection"))
        #expect(flags.key == "invalid_modifier")
        let nested = try #require(error("    selection:\n        - - 'x'\n    condition: selection"))
        #expect(nested.path == "detection.selection[0]")
    }

    @Test func missingMetadataAndBrokenYAML() throws {
        do {
            _ = try SigmaRuleParser.parse(yaml: "title: x\nlogsource: {}\ndetection: {condition: a}\n", origin: "m.yml")
            Issue.record("accepted a rule without id")
        } catch {
            #expect(error.path == "id")
            #expect(error.key == "missing_field")
        }
        do {
            _ = try SigmaRuleParser.parse(yaml: "title: [unclosed\n", origin: "y.yml")
            Issue.record("accepted broken YAML")
        } catch {
            #expect(error.key == "invalid_yaml")
        }
    }

    @Test func multiDocumentCorrelationAndFilterDocuments() throws {
        let yaml = """
        title: Base
        id: base-1
        name: base_rule
        logsource:
            product: windows
            category: process_creation
        detection:
            sel:
                Image|endswith: '\\net.exe'
            condition: sel
        ---
        title: Many net.exe
        id: corr-1
        correlation:
            type: event_count
            rules:
                - base_rule
            group-by:
                - User
            timespan: 5m
            condition:
                gte: 10
        """
        let documents = try SigmaRuleParser.parse(yaml: yaml, origin: "multi.yml")
        #expect(documents.count == 2)
        guard case .rule(let rule) = documents[0], case .correlation(let text, let origin) = documents[1] else {
            Issue.record("wrong document kinds")
            return
        }
        #expect(rule.name == "base_rule")
        #expect(!rule.yaml.contains("correlation"))
        #expect(text.contains("event_count"))
        #expect(origin == "multi.yml")
        do {
            _ = try SigmaRuleParser.parse(yaml: "title: f\nid: f1\nlogsource:\n    product: windows\nfilter:\n    rules: [a]\n    selection:\n        User: x\n    condition: not selection\n", origin: "f.yml")
            Issue.record("accepted a filter document")
        } catch {
            #expect(error.key == "unsupported_filter")
            #expect(error.path == "filter")
        }
        do {
            _ = try SigmaRuleParser.parse(yaml: "action: global\ntitle: g\n---\nid: x\n", origin: "g.yml")
            Issue.record("accepted action: global")
        } catch {
            #expect(error.key == "unsupported_action")
            #expect(error.path == "document 1: action")
        }
    }
}
