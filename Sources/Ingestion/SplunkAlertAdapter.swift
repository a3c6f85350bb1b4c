import MWRASPCore

/// Splunk's webhook alert action
/// (https://docs.splunk.com/Documentation/Splunk/latest/Alert/Webhooks): `{"result": {...first
/// result row...}, "sid", "results_link", "search_name", "owner", "app"}`. `search_name` is
/// null for ad-hoc searches. Result values are strings, or arrays for multivalue fields (the
/// first value is used for the typed fields). `result` and `sid` are required.
///
/// Document: `{"@timestamp", "message":<search name>, "event":{"kind":"alert","severity",
/// "id":<sid>}, "source":{"ip"}, "destination":{"ip"}, "user":{"name"}, "host":{"name"},
/// "splunk":{"sid","search_name","app","owner","results_link","result":{...}},
/// "mwrasp":{"source":"splunk"}}`. Timestamp: `result._time` (epoch seconds or RFC 3339) when
/// present, else the receive time.
public enum SplunkAlertAdapter {
    public static func parse(_ body: [UInt8], context: inout IngestContext) throws(IngestError) -> Event {
        if body.count > context.maxEventBytes { throw context.tooLarge(body.count) }
        let scanner = try JSONScanner(body)
        let read = TypedReader(scanner: scanner)
        let root = try TypedReader.rootObject(scanner)
        let result = try read.requiredObject(root, "result", path: "result")
        let sid = try read.requiredString(root, "sid", path: "sid")
        let searchName = try read.string(root, "search_name", path: "search_name")
        for name in ["results_link", "owner", "app"] { _ = try read.string(root, name, path: name) }

        /// A result field's (first) string value.
        func field(_ names: String...) -> String? {
            for name in names {
                guard let node = scanner.member(result, name) else { continue }
                if let text = scanner.string(node), !text.isEmpty { return text }
                if scanner.kind(node) == .array, let first = scanner.elements(node).first(where: { _ in true }),
                   let text = scanner.string(first) { return text }
            }
            return nil
        }
        let title = searchName ?? "Splunk alert"
        let severity = field("severity", "urgency").flatMap { Severity(vendor: $0) }
        let sourceIP = field("src_ip", "src")
        let destinationIP = field("dest_ip", "dest")
        let user = field("user")
        let host = field("host")
        let timestamp = field("_time").flatMap { text -> Int64? in
            let bytes = Array(text.utf8)
            return Timestamps.parseEpochSeconds(bytes) ?? Timestamps.parseRFC3339(bytes)
        } ?? context.receivedAt

        var w = JSONWriter(capacity: body.count + 256)
        w.beginObject()
        w.timestamp("@timestamp", timestamp)
        w.string("message", title)
        w.beginObject("event")
        w.string("kind", EventKind.alert.rawValue)
        w.string("severity", severity?.name)
        w.string("id", sid)
        w.endObject()
        writeLeaf(&w, "source", "ip", sourceIP)
        writeLeaf(&w, "destination", "ip", destinationIP)
        writeLeaf(&w, "user", "name", user)
        writeLeaf(&w, "host", "name", host)
        w.beginObject("splunk")
        for (key, value) in scanner.members(root) { w.member(scanner, key: key, value: value) }
        w.endObject()
        w.beginObject("mwrasp")
        w.string("source", EventSource.splunk.rawValue)
        w.endObject()
        w.endObject()

        return Event(
            id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .splunk, kind: .alert,
            severity: severity, title: title, sourceIP: sourceIP, destinationIP: destinationIP, userName: user,
            hostName: host, externalID: sid, document: w.finish(), original: body)
    }
}

/// `"group":{"leaf":value}` when there is a value.
func writeLeaf(_ w: inout JSONWriter, _ group: StaticString, _ leaf: StaticString, _ value: String?) {
    guard let value else { return }
    w.beginObject(group)
    w.string(leaf, value)
    w.endObject()
}
