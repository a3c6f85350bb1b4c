import MWRASPCore

/// Prometheus Alertmanager webhook (`webhook_config`, payload version "4",
/// https://prometheus.io/docs/alerting/latest/configuration/#webhook_config): one event per
/// element of `alerts`. Document layout per alert:
///
///     {"@timestamp":..., "message":<title>, "event":{"kind":"alert","severity":...,
///      "dataset":"alertmanager.alert","id":<fingerprint:startsAt>,"start":<startsAt>,"end":<endsAt>},
///      "host":{"name":...}, "labels":<alert labels>,
///      "alertmanager":{"status","fingerprint","generatorURL","annotations","receiver","groupKey",
///                      "externalURL","groupLabels","commonLabels","commonAnnotations"},
///      "mwrasp":{"source":"alertmanager"}}
///
/// `labels` is ECS's own field for key/value labels. `endsAt` is omitted while firing, where
/// Alertmanager sends the zero time `0001-01-01T00:00:00Z`.
public enum AlertmanagerAdapter {
    public static func parse(_ body: [UInt8], context: inout IngestContext) throws(IngestError) -> [Event] {
        let scanner = try JSONScanner(body)
        let read = TypedReader(scanner: scanner)
        let root = try TypedReader.rootObject(scanner)
        if let version = try read.string(root, "version", path: "version"), version != "4" {
            throw IngestError(reason: "unsupported Alertmanager webhook version \"\(version)\", expected \"4\"")
        }
        let groupStatus = try read.string(root, "status", path: "status")
        let alerts = try read.requiredArray(root, "alerts", path: "alerts")
        for name in ["groupLabels", "commonLabels", "commonAnnotations"] {
            if let map = try read.object(root, name, path: name) { try read.checkStringMap(map, path: name) }
        }
        for name in ["receiver", "groupKey", "externalURL"] { _ = try read.string(root, name, path: name) }

        var events: [Event] = []
        for (index, alert) in scanner.elements(alerts).enumerated() {
            let path = "alerts[\(index)]"
            guard scanner.kind(alert) == .object else {
                throw IngestError.wrongType(path, expected: "an object", got: scanner.kind(alert))
            }
            if scanner.nodes[alert].end - scanner.nodes[alert].start > context.maxEventBytes {
                throw context.tooLarge(Int(scanner.nodes[alert].end - scanner.nodes[alert].start))
            }
            events.append(try event(scanner, alert: alert, path: path, root: root, groupStatus: groupStatus, context: &context))
        }
        return events
    }

    private static func event(_ scanner: JSONScanner, alert: Int, path: String, root: Int, groupStatus: String?,
                              context: inout IngestContext) throws(IngestError) -> Event {
        let read = TypedReader(scanner: scanner)
        let labels = try read.requiredObject(alert, "labels", path: "\(path).labels")
        try read.checkStringMap(labels, path: "\(path).labels")
        let annotations = try read.object(alert, "annotations", path: "\(path).annotations")
        if let annotations { try read.checkStringMap(annotations, path: "\(path).annotations") }
        guard let status = try read.string(alert, "status", path: "\(path).status") ?? groupStatus else {
            throw IngestError.missing("\(path).status")
        }
        guard status == "firing" || status == "resolved" else {
            throw IngestError(reason: "field \(path).status must be \"firing\" or \"resolved\", got \"\(status)\"")
        }
        let startsAtText = try read.string(alert, "startsAt", path: "\(path).startsAt")
        let endsAtText = try read.string(alert, "endsAt", path: "\(path).endsAt")
        let fingerprint = try read.string(alert, "fingerprint", path: "\(path).fingerprint")
        _ = try read.string(alert, "generatorURL", path: "\(path).generatorURL")
        func time(_ text: String?, _ field: String) throws(IngestError) -> Int64? {
            guard let text else { return nil }
            guard let ms = Timestamps.parseRFC3339(Array(text.utf8)) else {
                throw IngestError(reason: "field \(path).\(field) must be an RFC 3339 date-time, got \"\(text)\"")
            }
            return ms
        }
        let startsAt = try time(startsAtText, "startsAt")
        // Alertmanager's "not ended" is the zero time; anything before 1970 means "no end".
        let endsAt = try time(endsAtText, "endsAt").flatMap { $0 > 0 ? $0 : nil }

        func label(_ name: String) -> String? { scanner.member(labels, name).flatMap(scanner.string) }
        func annotation(_ name: String) -> String? { annotations.flatMap { scanner.member($0, name) }.flatMap(scanner.string) }
        let title = annotation("summary") ?? annotation("description") ?? label("alertname")
        let severity = label("severity").flatMap { Severity(vendor: $0) }
        let host = label("instance").map(stripPort) ?? label("host") ?? label("hostname")
        // A re-sent firing alert is the same occurrence: same fingerprint, same startsAt.
        // One occurrence of an alert (fingerprint + startsAt) in one state: a re-sent firing
        // notification is a retry, its resolution is a new event.
        let externalID = fingerprint.map { "\($0):\(startsAtText ?? ""):\(status)" }
        let timestamp = (status == "resolved" ? endsAt ?? startsAt : startsAt) ?? context.receivedAt
        let dataset = "alertmanager.alert"

        let original = read.original(alert)
        var w = JSONWriter(capacity: original.count + 512)
        w.beginObject()
        w.timestamp("@timestamp", timestamp)
        w.string("message", title)
        w.beginObject("event")
        w.string("kind", EventKind.alert.rawValue)
        w.string("severity", severity?.name)
        w.string("dataset", dataset)
        w.string("id", externalID)
        if let startsAt { w.timestamp("start", startsAt) }
        if let endsAt { w.timestamp("end", endsAt) }
        w.endObject()
        if let host {
            w.beginObject("host")
            w.string("name", host)
            w.endObject()
        }
        w.value("labels", scanner, labels)
        w.beginObject("alertmanager")
        w.string("status", status)
        w.string("fingerprint", fingerprint)
        w.value("generatorURL", scanner, scanner.member(alert, "generatorURL"))
        w.value("annotations", scanner, annotations)
        for (key, value) in scanner.members(root) {
            for name in ["receiver", "groupKey", "externalURL", "groupLabels", "commonLabels", "commonAnnotations"]
            where scanner.stringEquals(key, name) {
                w.member(scanner, key: key, value: value)
            }
        }
        w.endObject()
        w.beginObject("mwrasp")
        w.string("source", EventSource.alertmanager.rawValue)
        w.endObject()
        w.endObject()

        return Event(
            id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .alertmanager, kind: .alert,
            dataset: dataset, severity: severity, title: title, hostName: host, externalID: externalID, status: status,
            document: w.finish(), original: original)
    }

    /// `instance` is `host:port` (or `[v6]:port`): the host part is what other senders call it.
    static func stripPort(_ instance: String) -> String {
        if instance.hasPrefix("["), let close = instance.firstIndex(of: "]") {
            return String(instance[instance.index(after: instance.startIndex)..<close])
        }
        let colons = instance.filter { $0 == ":" }.count
        if colons == 1, let colon = instance.lastIndex(of: ":"),
           instance[instance.index(after: colon)...].allSatisfy(\.isNumber) {
            return String(instance[..<colon])
        }
        return instance  // a bare IPv6 address or a name without port
    }
}
