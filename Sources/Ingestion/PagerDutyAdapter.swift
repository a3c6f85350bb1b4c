import MWRASPCore

/// PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
/// Validation follows PagerDuty's rules and, where practical, its wording: PagerDuty answers
/// 400 `{"status":"invalid event","message":"Event object is invalid","errors":[...]}`; our
/// reason is `Event object is invalid: <the one error>`, e.g.
/// `Event object is invalid: 'payload.summary' is missing or blank`.
///
/// Document: `{"@timestamp", "message":<summary>, "event":{"kind":"alert","severity",
/// "id":<dedup_key>,"action":<event_action>}, "host":{"name":<payload.source>},
/// "pagerduty":{"event_action","dedup_key","payload":{...},"client","client_url","links","images"},
/// "mwrasp":{"source":"pagerduty"}}`. The routing key is a credential (at `POST /v2/enqueue` it
/// is an MWRASP ingest token), so nothing stored holds it: it is left out of the document, and
/// `original` is the exact body with the routing key's value replaced by `[redacted]`.
public enum PagerDutyAdapter {
    public static func parse(_ body: [UInt8], context: inout IngestContext) throws(IngestError) -> PagerDutyEvent {
        if body.count > context.maxEventBytes { throw context.tooLarge(body.count) }
        let scanner = try JSONScanner(body)
        let root = try TypedReader.rootObject(scanner)
        func invalid(_ detail: String) -> IngestError { IngestError(reason: "Event object is invalid: \(detail)") }
        func text(_ object: Int, _ name: String, _ path: String) throws(IngestError) -> String? {
            guard let node = scanner.member(object, name) else { return nil }
            switch scanner.kind(node) {
            case .string:
                let value = scanner.string(node) ?? ""
                return value.allSatisfy(\.isWhitespace) ? nil : value
            case .null: return nil
            default: throw invalid("'\(path)' must be a string")
            }
        }
        guard let routingKey = try text(root, "routing_key", "routing_key") else {
            throw invalid("'routing_key' is missing or blank")
        }
        guard let action = try text(root, "event_action", "event_action") else {
            throw invalid("'event_action' is missing or blank")
        }
        guard action == "trigger" || action == "acknowledge" || action == "resolve" else {
            throw invalid("'event_action' is invalid (must be one of trigger, acknowledge, resolve)")
        }
        var dedupKey = try text(root, "dedup_key", "dedup_key")
        if dedupKey == nil && action != "trigger" {
            throw invalid("'dedup_key' is missing or blank (required for \(action))")
        }
        if let key = dedupKey, key.utf8.count > 255 { throw invalid("'dedup_key' is longer than 255 characters") }

        var payload: Int?
        if let node = scanner.member(root, "payload"), scanner.kind(node) != .null {
            guard scanner.kind(node) == .object else { throw invalid("'payload' must be an object") }
            payload = node
        }
        var summary: String?
        var host: String?
        var severity: Severity?
        var timestamp = context.receivedAt
        if action == "trigger" {
            guard let payload else { throw invalid("'payload' is missing (required for trigger)") }
            guard let text1 = try text(payload, "summary", "payload.summary") else {
                throw invalid("'payload.summary' is missing or blank")
            }
            guard text1.utf8.count <= 1024 else { throw invalid("'payload.summary' is longer than 1024 characters") }
            guard let source = try text(payload, "source", "payload.source") else {
                throw invalid("'payload.source' is missing or blank")
            }
            guard let word = try text(payload, "severity", "payload.severity") else {
                throw invalid("'payload.severity' is missing or blank")
            }
            guard ["critical", "error", "warning", "info"].contains(word) else {
                throw invalid("'payload.severity' is invalid (must be one of critical, error, warning, info)")
            }
            summary = text1
            host = source
            severity = Severity(vendor: word)  // error -> high, warning -> medium
            if let time = try text(payload, "timestamp", "payload.timestamp") {
                guard let ms = Timestamps.parseRFC3339(Array(time.utf8)) else {
                    throw invalid("'payload.timestamp' is not a valid ISO 8601 timestamp")
                }
                timestamp = ms
            }
            for name in ["component", "group", "class"] { _ = try text(payload, name, "payload.\(name)") }
            if dedupKey == nil { dedupKey = context.randomHex32() }
        }
        let key = dedupKey ?? ""

        var w = JSONWriter(capacity: body.count + 256)
        w.beginObject()
        w.timestamp("@timestamp", timestamp)
        w.string("message", summary)
        w.beginObject("event")
        w.string("kind", EventKind.alert.rawValue)
        w.string("severity", severity?.name)
        w.string("id", key)
        w.string("action", action)
        w.endObject()
        writeLeaf(&w, "host", "name", host)
        w.beginObject("pagerduty")
        w.string("event_action", action)
        w.string("dedup_key", key)
        for (name, value) in scanner.members(root) {
            for kept in ["payload", "client", "client_url", "links", "images"] where scanner.stringEquals(name, kept) {
                w.member(scanner, key: name, value: value)
            }
        }
        w.endObject()
        w.beginObject("mwrasp")
        w.string("source", EventSource.pagerduty.rawValue)
        w.endObject()
        w.endObject()

        let event = Event(
            id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .pagerduty, kind: .alert,
            severity: severity, title: summary, hostName: host, externalID: "\(key):\(action)", status: action,
            document: w.finish(), original: redactingRoutingKey(body, scanner: scanner, root: root))
        return PagerDutyEvent(routingKey: routingKey, action: action, dedupKey: key, event: event)
    }

    static let redaction = Array("[redacted]".utf8)

    /// `body` with the content of the top-level `routing_key` string replaced (still valid JSON).
    static func redactingRoutingKey(_ body: [UInt8], scanner: JSONScanner, root: Int) -> [UInt8] {
        guard let node = scanner.member(root, "routing_key"), scanner.kind(node) == .string else { return body }
        let range = Int(scanner.nodes[node].start)..<Int(scanner.nodes[node].end)
        var out: [UInt8] = []
        out.reserveCapacity(body.count - range.count + redaction.count)
        out += body[..<range.lowerBound]
        out += redaction
        out += body[range.upperBound...]
        return out
    }
}
