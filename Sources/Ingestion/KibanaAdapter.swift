import MWRASPCore

/// Kibana's webhook connector: the body is whatever the rule author's Mustache template
/// renders, typically rule fields plus `{{#context.alerts}}{{{.}}},{{/context.alerts}}`, which
/// leaves a trailing comma before `]`. Trailing commas are the only non-JSON tolerated.
///
/// One event per element of `context.alerts`, else `alerts`, else the whole body as one ECS
/// document. Each element is read like the generic ECS shape but leniently (vendor data: an
/// `event.severity` of 73 is kept, not refused), kind forced to `.alert`, and:
/// title = `kibana.alert.rule.name` ?? `rule.name` ?? the body's `rule.name` / `rule_name`
/// ?? `message`; severity = `kibana.alert.severity` ?? `event.severity`; externalID =
/// `kibana.alert.uuid` ?? `_id`. Dotted and nested spellings are equivalent
/// (`JSONScanner.value(atDotted:)`). The element's own members are kept in the document.
public enum KibanaAdapter {
    public static func parse(_ body: [UInt8], context: inout IngestContext) throws(IngestError) -> [Event] {
        let scanner = try JSONScanner(body, options: .init(allowTrailingCommas: true))
        let root = try TypedReader.rootObject(scanner)
        let alerts: Int?
        if let node = scanner.value(atDotted: "context.alerts", from: root) ?? scanner.member(root, "alerts") {
            guard scanner.kind(node) == .array else {
                throw IngestError.wrongType("alerts", expected: "an array", got: scanner.kind(node))
            }
            alerts = node
        } else {
            alerts = nil
        }
        let ruleName = scanner.value(atDotted: "rule.name", from: root).flatMap(scanner.string)
            ?? scanner.member(root, "rule_name").flatMap(scanner.string)
        guard let alerts else { return [try event(scanner, alert: root, ruleName: ruleName, context: &context)] }
        var events: [Event] = []
        for (index, alert) in scanner.elements(alerts).enumerated() {
            guard scanner.kind(alert) == .object else {
                throw IngestError.wrongType("alerts[\(index)]", expected: "an object", got: scanner.kind(alert))
            }
            events.append(try event(scanner, alert: alert, ruleName: ruleName, context: &context))
        }
        return events
    }

    private static func event(_ scanner: JSONScanner, alert: Int, ruleName: String?,
                              context: inout IngestContext) throws(IngestError) -> Event {
        let size = Int(scanner.nodes[alert].end - scanner.nodes[alert].start)
        if size > context.maxEventBytes { throw context.tooLarge(size) }
        func text(_ path: String) -> String? {
            guard let node = scanner.value(atDotted: path, from: alert) else { return nil }
            return scanner.string(node) ?? scanner.numberText(node)
        }
        var fields = try ECSFields(scanner, object: alert, strict: false)
        if let severity = text("kibana.alert.severity").flatMap({ Severity(vendor: $0) }) { fields.severity = severity }
        fields.kind = .alert
        let title = text("kibana.alert.rule.name") ?? text("rule.name") ?? ruleName ?? fields.title
        let externalID = text("kibana.alert.uuid") ?? text("_id") ?? fields.externalID
        fields.externalID = externalID
        fields.markOverridden(.externalID)
        let timestamp = fields.timestamp ?? context.receivedAt
        let document = ECSDocument.write(
            fields, scanner: scanner, object: alert, kind: .alert, timestamp: timestamp, source: .elastic,
            capacity: size + 256)
        return Event(
            id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .elastic, kind: .alert,
            dataset: fields.dataset, severity: fields.severity, title: title, sourceIP: fields.sourceIP,
            destinationIP: fields.destinationIP, userName: fields.userName, hostName: fields.hostName,
            externalID: externalID, status: text("kibana.alert.status"),
            document: document, original: Array(scanner.rawBytes(alert)))
    }
}
