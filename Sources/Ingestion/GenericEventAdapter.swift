import MWRASPCore

/// `POST /v1/events` (API.md, "The generic event body"): one JSON object, either ECS-shaped,
/// API.md's flat alert shape, or a Windows event log record rendered as JSON (EVTX, see
/// GenericEventAdapter+EVTX.swift). Strict: a mapped field of the wrong JSON type or an
/// unknown severity word is refused, because this is the format we define.
public enum GenericEventAdapter {
    public static func parse(_ body: UnsafeRawBufferPointer, context: inout IngestContext) throws(IngestError) -> Event {
        if body.count > context.maxEventBytes { throw context.tooLarge(body.count) }
        return try parse([UInt8](body), context: &context)
    }

    public static func parse(_ body: [UInt8], context: inout IngestContext) throws(IngestError) -> Event {
        if body.count > context.maxEventBytes { throw context.tooLarge(body.count) }
        let scanner = try JSONScanner(body)
        return try event(scanner, object: scanner.root, original: body, context: &context)
    }

    /// One event from an object node of an already parsed body.
    static func event(_ scanner: JSONScanner, object: Int, original: [UInt8], context: inout IngestContext) throws(IngestError) -> Event {
        guard scanner.kind(object) == .object else {
            throw IngestError(reason: "the event must be a JSON object, got \(scanner.kind(object).name)")
        }
        var fields = try ECSFields(scanner, object: object, strict: true)
        let evtx = fields.windowsRecord.flatMap { WindowsEventRecord(scanner, record: $0) }
        if let evtx { evtx.fill(&fields) }
        let kind = fields.kind ?? (fields.flatAlert ? .alert : .event)
        let timestamp = fields.timestamp ?? context.receivedAt
        let document = ECSDocument.write(
            fields, scanner: scanner, object: object, kind: kind, timestamp: timestamp, source: .generic,
            capacity: original.count + 160,
            eventExtras: { writer in evtx?.writeEventExtras(&writer) })
        return Event(
            id: context.nextID(), timestamp: timestamp, receivedAt: context.receivedAt, source: .generic, kind: kind,
            dataset: fields.dataset, severity: fields.severity, title: fields.title,
            sourceIP: fields.sourceIP, destinationIP: fields.destinationIP, userName: fields.userName,
            hostName: fields.hostName, externalID: fields.externalID,
            document: document, original: original)
    }
}
