import MWRASPCore

/// Writes the normalized document (Event.document) for an ECS-ish object: the typed fields in
/// their nested ECS places, then everything else the sender wrote, kept as it was:
///
///     {"@timestamp":"2024-05-17T13:45:22.123Z","message":"...",
///      "event":{"kind":"alert","severity":"high","dataset":"...","id":"...", <sender's other event.*>},
///      "source":{"ip":"..."},"destination":{"ip":"..."},"user":{"name":"..."},"host":{"name":"..."},
///      "observer":{"name":"<flat source>"}, <unknown fields>, "mwrasp":{"source":"generic"}}
///
/// A value the sender gave under another spelling (`src_ip`) is written once, under its ECS
/// name. A sender's own `mwrasp` member is dropped: that namespace is ours.
enum ECSDocument {
    static func write(
        _ fields: ECSFields, scanner: JSONScanner, object: Int, kind: EventKind, timestamp: Int64,
        source: EventSource, capacity: Int,
        eventExtras: (inout JSONWriter) -> Void = { _ in },
        topExtras: (inout JSONWriter) -> Void = { _ in }
    ) -> [UInt8] {
        var w = JSONWriter(capacity: capacity)
        w.beginObject()
        w.timestamp("@timestamp", timestamp)
        leaf(&w, "message", .title, fields.title, fields, scanner)

        w.beginObject("event")
        w.string("kind", kind.rawValue)
        w.string("severity", fields.severity?.name)
        leaf(&w, "dataset", .dataset, fields.dataset, fields, scanner)
        leaf(&w, "id", .externalID, fields.externalID, fields, scanner)
        eventExtras(&w)
        copyGroup(.event, fields, scanner, &w)
        w.endObject()

        writeGroup("source", .source, leaf: "ip", .sourceIP, fields.sourceIP, fields, scanner, &w)
        writeGroup("destination", .destination, leaf: "ip", .destinationIP, fields.destinationIP, fields, scanner, &w)
        writeGroup("user", .user, leaf: "name", .userName, fields.userName, fields, scanner, &w)
        writeGroup("host", .host, leaf: "name", .hostName, fields.hostName, fields, scanner, &w)
        writeGroup("observer", .observer, leaf: "name", .observerName, fields.observerName, fields, scanner, &w)

        for (key, value) in scanner.members(object) where !consumes(fields, value) {
            switch ECSFields.topKey(scanner, key) {
            case .group?, .groupOrFlat?, .dropped?:
                continue  // merged above, or a loser/garbage that would duplicate a written key
            case .field(let field, _, _)? where field == .timestamp || field == .kind:
                continue  // always written above
            default:
                w.member(scanner, key: key, value: value)
            }
        }
        topExtras(&w)
        w.beginObject("mwrasp")
        w.string("source", source.rawValue)
        w.endObject()
        w.endObject()
        return w.finish()
    }

    /// `"key":value`, copying the sender's escaped bytes when the value is theirs unchanged.
    private static func leaf(
        _ w: inout JSONWriter, _ key: StaticString, _ field: ECSFields.Field, _ value: String?,
        _ fields: ECSFields, _ scanner: JSONScanner
    ) {
        guard value != nil else { return }
        if let node = fields.rawStringNode(field, scanner) {
            w.value(key, scanner, node)
        } else {
            w.string(key, value)
        }
    }

    private static func writeGroup(
        _ name: StaticString, _ group: ECSFields.Group, leaf key: StaticString, _ field: ECSFields.Field,
        _ value: String?, _ fields: ECSFields, _ scanner: JSONScanner, _ w: inout JSONWriter
    ) {
        guard value != nil || fields.group(group) != nil else { return }
        w.beginObject(name)
        leaf(&w, key, field, value, fields, scanner)
        copyGroup(group, fields, scanner, &w)
        w.endObject()
    }

    private static func copyGroup(_ group: ECSFields.Group, _ fields: ECSFields, _ scanner: JSONScanner, _ w: inout JSONWriter) {
        guard let object = fields.group(group) else { return }
        for (key, value) in scanner.members(object) where !consumes(fields, value) {
            // A leaf we did not take (wrong type in lenient mode) would clash with a written one.
            if ECSFields.innerField(scanner, group: group, key: key) != nil && fields.writes(leafOf: group, key: key, scanner) {
                continue
            }
            w.member(scanner, key: key, value: value)
        }
    }

    /// Whether `node` is a chosen value that the document writes in normalized form.
    static func consumes(_ fields: ECSFields, _ node: Int) -> Bool {
        let hits = fields.chosen .== SIMD16<Int32>(repeating: Int32(truncatingIfNeeded: node))
        guard any(hits) else { return false }
        for raw in 0..<ECSFields.Field.count where hits[raw] {
            return fields.writes(ECSFields.Field(rawValue: raw).unsafelyUnwrapped)
        }
        return false
    }
}

extension ECSFields {
    /// Whether the document gets a normalized value for `field`.
    func writes(_ field: Field) -> Bool {
        switch field {
        case .timestamp, .kind: true
        case .severity: severity != nil
        case .dataset: dataset != nil
        case .title: title != nil
        case .sourceIP: sourceIP != nil
        case .destinationIP: destinationIP != nil
        case .userName: userName != nil
        case .hostName: hostName != nil
        case .externalID: externalID != nil
        case .observerName: observerName != nil
        }
    }

    func writes(leafOf group: Group, key: Int, _ scanner: JSONScanner) -> Bool {
        guard let (field, _) = Self.innerField(scanner, group: group, key: key) else { return false }
        return writes(field)
    }
}
