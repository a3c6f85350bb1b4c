import MWRASPCore

/// Splunk HEC `/services/collector/event`: JSON objects concatenated, with or without
/// whitespace between them, each `{"event": <string|object|...>, "time", "host", "source",
/// "sourcetype", "index", "fields"}`.
///
/// All or nothing: Splunk indexes the events before a bad one and reports its number; we
/// refuse the whole request (reporting the same 0-based number) so that nothing partial is
/// stored and a client retrying the whole batch does not duplicate the first part
/// (DESIGN.md section 9, "never a partial write").
///
/// Codes, as Splunk: 5 "No data" (empty or whitespace body); 6 "Invalid data format"
/// (malformed JSON, not an object, a wrong type for time/host/source/sourcetype/index, an
/// event over the size limit); 12 "Event field is required" (no `event`, or null);
/// 13 "Event field cannot be blank" (`""`); 15 for `fields` that is not a flat object.
///
/// Events: source `.hec`; kind `.event`, or the event object's own `event.kind` (so `alert`
/// gives `.alert`); host from `host`, else the event's `host.name`; dataset from `sourcetype`;
/// timestamp from `time` (epoch seconds, number or string, fractions kept to the ms), else the
/// event's `@timestamp`, else the receive time. An object `event` is normalized like an ECS
/// document (leniently); any other event becomes `message` (a string as is, other JSON as its
/// text). The envelope is kept under `"hec":{"source","sourcetype","index","fields"}`.
public enum HECAdapter {
    public static func parse(_ body: [UInt8], context: inout IngestContext) throws(HECError) -> [Event] {
        var events: [Event] = []
        var offset = 0
        var number = 0
        while true {
            while offset < body.count, body[offset] == 0x20 || body[offset] == 0x0A || body[offset] == 0x0D || body[offset] == 0x09 {
                offset += 1
            }
            if offset == body.count { break }
            let scanner: JSONScanner
            do {
                scanner = try JSONScanner(body, from: offset)
            } catch {
                throw .invalidFormat(number, error.reason)
            }
            let end = scanner.endOffset
            if end - offset > context.maxEventBytes {
                throw .invalidFormat(number, context.tooLarge(end - offset).reason)
            }
            events.append(try event(scanner, number: number, original: Array(body[offset..<end]), context: &context))
            offset = end
            number += 1
        }
        if events.isEmpty { throw .noData }
        return events
    }

    private static func event(_ scanner: JSONScanner, number: Int, original: [UInt8],
                              context: inout IngestContext) throws(HECError) -> Event {
        let root = scanner.root
        guard scanner.kind(root) == .object else {
            throw .invalidFormat(number, "the event must be a JSON object, got \(scanner.kind(root).name)")
        }
        guard let payload = scanner.member(root, "event"), scanner.kind(payload) != .null else {
            throw .eventRequired(number)
        }
        if scanner.kind(payload) == .string && scanner.nodes[payload].start == scanner.nodes[payload].end {
            throw .eventBlank(number)
        }
        func text(_ name: String) throws(HECError) -> String? {
            guard let node = scanner.member(root, name) else { return nil }
            switch scanner.kind(node) {
            case .string: return scanner.string(node)
            case .null: return nil
            case let kind: throw .invalidFormat(number, "field \(name) must be a string, got \(kind.name)")
            }
        }
        let host = try text("host")
        let sourcetype = try text("sourcetype")
        _ = try text("source")
        _ = try text("index")
        var time: Int64?
        if let node = scanner.member(root, "time"), scanner.kind(node) != .null {
            let raw: ArraySlice<UInt8>
            switch scanner.kind(node) {
            case .number: raw = scanner.rawBytes(node)
            case .string: raw = scanner.rawBytes(node).dropFirst().dropLast()
            default: throw .invalidFormat(number, "field time must be epoch seconds, got \(scanner.kind(node).name)")
            }
            guard let ms = scanner.kind(node) == .number ? Timestamps.parseEpochNumber(raw) : Timestamps.parseEpochSeconds(raw) else {
                throw .invalidFormat(number, "field time must be epoch seconds, got \(String(decoding: raw, as: UTF8.self))")
            }
            time = ms
        }
        if let fields = scanner.member(root, "fields"), scanner.kind(fields) != .null {
            guard scanner.kind(fields) == .object else {
                throw .indexedFields(number, "field fields must be an object, got \(scanner.kind(fields).name)")
            }
            for (key, value) in scanner.members(fields) where scanner.kind(value) == .object {
                throw .indexedFields(number, "indexed field \(scanner.string(key) ?? "") must be a string or an array, got object")
            }
        }

        func writeEnvelope(_ w: inout JSONWriter) {
            w.beginObject("hec")
            for (key, value) in scanner.members(root) {
                for name in ["source", "sourcetype", "index", "fields"] where scanner.stringEquals(key, name) {
                    w.member(scanner, key: key, value: value)
                }
            }
            w.endObject()
        }

        if scanner.kind(payload) == .object {
            var fields: ECSFields
            do { fields = try ECSFields(scanner, object: payload, strict: false) } catch {
                throw .invalidFormat(number, error.reason)
            }
            if let host { fields.hostName = host; fields.markOverridden(.hostName) }
            if let sourcetype { fields.dataset = sourcetype; fields.markOverridden(.dataset) }
            let kind = fields.kind ?? .event
            let timestamp = time ?? fields.timestamp ?? context.receivedAt
            let document = ECSDocument.write(
                fields, scanner: scanner, object: payload, kind: kind, timestamp: timestamp, source: .hec,
                capacity: original.count + 256, topExtras: writeEnvelope)
            return Event(
                id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .hec, kind: kind,
                dataset: fields.dataset, severity: fields.severity, title: fields.title, sourceIP: fields.sourceIP,
                destinationIP: fields.destinationIP, userName: fields.userName, hostName: fields.hostName,
                externalID: fields.externalID, document: document, original: original)
        }

        let message = scanner.string(payload) ?? String(decoding: scanner.rawBytes(payload), as: UTF8.self)
        let timestamp = time ?? context.receivedAt
        var w = JSONWriter(capacity: original.count + 256)
        w.beginObject()
        w.timestamp("@timestamp", timestamp)
        w.string("message", message)
        w.beginObject("event")
        w.string("kind", EventKind.event.rawValue)
        w.string("dataset", sourcetype)
        w.endObject()
        writeLeaf(&w, "host", "name", host)
        writeEnvelope(&w)
        w.beginObject("mwrasp")
        w.string("source", EventSource.hec.rawValue)
        w.endObject()
        w.endObject()
        return Event(
            id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .hec, kind: .event,
            dataset: sourcetype, title: message, hostName: host, document: w.finish(), original: original)
    }
}
