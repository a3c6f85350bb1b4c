import MWRASPCore

/// An event as the writer logged it: with its commit sequence, the alert it was deduplicated
/// into, and where its document and original bytes live in the log (the original follows the
/// document). The indexer copies the typed fields into SQLite; the bytes stay in the log.
struct LoggedEvent: Sendable {
    /// The event (the row needs only its typed fields and the lengths of its bytes).
    var event: Event
    var sequence: Int64
    var alertID: Int64?
    var blobPosition: Int64
    var documentLength: Int
    var originalLength: Int

    init(event: Event, sequence: Int64, alertID: Int64?, blobPosition: Int64) {
        // The event's shared box, bytes included (one retain): its bytes stay counted in the
        // writer queue's budget until indexed anyway, and the newest-events buffer holds them.
        self.event = event
        self.sequence = sequence
        self.alertID = alertID
        self.blobPosition = blobPosition
        documentLength = event.document.count
        originalLength = event.original.count
    }
}

/// An idempotency key with the first answer given under it.
struct LoggedKey: Sendable {
    var key: String
    var answer: StoredAnswer
    var createdAt: Int64
}

/// What one frame of the log holds, in order: the writer's decisions of one group commit.
enum LogEntry: Sendable {
    case event(LoggedEvent)
    /// The state of an alert after this commit (an upsert).
    case alert(AlertRecord)
    case idempotency(LoggedKey)
}

/// Writes entries into a frame being built. `framePosition` is the log position of the
/// frame's first byte, so an event's blob position is known while it is written.
struct LogEntryEncoder {
    let buffer: AlignedBuffer
    let framePosition: Int64

    /// Appends `event` and returns the log position of its document bytes.
    func append(event: Event, sequence: Int64, alertID: Int64?) -> Int64 {
        buffer.appendInteger(LogFormat.eventEntry)
        buffer.appendInteger(sequence)
        buffer.appendInteger(alertID ?? Int64.min)
        buffer.appendInteger(event.timestamp)
        buffer.appendInteger(event.receivedAt)
        buffer.appendInteger(UInt8(truncatingIfNeeded: event.severity?.rawValue ?? 0xFF))
        buffer.appendString(event.id.rawValue)
        buffer.appendString(event.source.rawValue)
        buffer.appendString(event.kind.rawValue)
        buffer.appendString(event.dataset)
        buffer.appendString(event.title)
        buffer.appendString(event.sourceIP)
        buffer.appendString(event.destinationIP)
        buffer.appendString(event.userName)
        buffer.appendString(event.hostName)
        buffer.appendString(event.externalID)
        buffer.appendString(event.status)
        buffer.appendInteger(UInt32(event.document.count))
        buffer.appendInteger(UInt32(event.original.count))
        let blobPosition = framePosition + Int64(buffer.count)
        buffer.append(event.document)
        buffer.append(event.original)
        return blobPosition
    }

    func append(alert: AlertRecord) {
        buffer.appendInteger(LogFormat.alertEntry)
        buffer.appendInteger(alert.id)
        buffer.appendInteger(Int64(alert.count))
        buffer.appendInteger(alert.firstSeen)
        buffer.appendInteger(alert.lastSeen)
        buffer.appendInteger(UInt8(truncatingIfNeeded: alert.severity?.rawValue ?? 0xFF))
        buffer.appendString(alert.fingerprint)
        buffer.appendString(alert.firstEventID.rawValue)
        buffer.appendString(alert.lastEventID.rawValue)
        buffer.appendString(alert.status)
        buffer.appendString(alert.title)
        buffer.appendString(alert.source.rawValue)
    }

    func append(key: LoggedKey) {
        buffer.appendInteger(LogFormat.idempotencyEntry)
        buffer.appendInteger(key.createdAt)
        buffer.appendInteger(Int32(key.answer.status))
        buffer.appendString(key.key)
        buffer.appendString(key.answer.contentType)
        buffer.appendInteger(UInt32(key.answer.body.count))
        buffer.append(key.answer.body)
    }
}

/// Reads the entries of one verified frame payload.
struct LogEntryDecoder {
    private var reader: LogByteReader
    private let payloadPosition: Int64

    init(payload: UnsafeRawBufferPointer, payloadPosition: Int64) {
        reader = LogByteReader(payload)
        self.payloadPosition = payloadPosition
    }

    var isAtEnd: Bool { reader.isAtEnd }

    mutating func next() throws(StoreError) -> LogEntry {
        let type: UInt8 = try reader.integer()
        switch type {
        case LogFormat.eventEntry: return .event(try event())
        case LogFormat.alertEntry: return .alert(try alert())
        case LogFormat.idempotencyEntry: return .idempotency(try key())
        default: throw .database("event log: unknown entry type \(type)")
        }
    }

    private mutating func event() throws(StoreError) -> LoggedEvent {
        let sequence: Int64 = try reader.integer()
        let alertID: Int64 = try reader.integer()
        let timestamp: Int64 = try reader.integer()
        let receivedAt: Int64 = try reader.integer()
        let severity: UInt8 = try reader.integer()
        let idText = try reader.string() ?? ""
        let sourceText = try reader.string() ?? ""
        let kindText = try reader.string() ?? ""
        guard let id = EventID(rawValue: idText), let source = EventSource(rawValue: sourceText),
              let kind = EventKind(rawValue: kindText) else {
            throw .database("event log: corrupt event \(idText)")
        }
        let dataset = try reader.string()
        let title = try reader.string()
        let sourceIP = try reader.string()
        let destinationIP = try reader.string()
        let userName = try reader.string()
        let hostName = try reader.string()
        let externalID = try reader.string()
        let status = try reader.string()
        let documentLength: UInt32 = try reader.integer()
        let originalLength: UInt32 = try reader.integer()
        let blobPosition = payloadPosition + Int64(reader.offset)
        let document = try reader.bytes(Int(documentLength))
        let original = try reader.bytes(Int(originalLength))
        let event = Event(
            id: id, timestamp: timestamp, receivedAt: receivedAt, source: source, kind: kind, dataset: dataset,
            severity: severity == 0xFF ? nil : Severity(rawValue: Int(severity)), title: title,
            sourceIP: sourceIP, destinationIP: destinationIP, userName: userName, hostName: hostName,
            externalID: externalID, status: status, document: document, original: original)
        return LoggedEvent(event: event, sequence: sequence, alertID: alertID == Int64.min ? nil : alertID,
                           blobPosition: blobPosition)
    }

    private mutating func alert() throws(StoreError) -> AlertRecord {
        let id: Int64 = try reader.integer()
        let count: Int64 = try reader.integer()
        let firstSeen: Int64 = try reader.integer()
        let lastSeen: Int64 = try reader.integer()
        let severity: UInt8 = try reader.integer()
        let fingerprint = try reader.string() ?? ""
        let first = try reader.string() ?? ""
        let last = try reader.string() ?? ""
        let status = try reader.string()
        let title = try reader.string()
        let sourceText = try reader.string() ?? ""
        guard let firstID = EventID(rawValue: first), let lastID = EventID(rawValue: last),
              let source = EventSource(rawValue: sourceText) else {
            throw .database("event log: corrupt alert \(id)")
        }
        return AlertRecord(
            id: id, fingerprint: fingerprint, firstEventID: firstID, lastEventID: lastID, count: Int(count),
            firstSeen: firstSeen, lastSeen: lastSeen,
            severity: severity == 0xFF ? nil : Severity(rawValue: Int(severity)),
            status: status, title: title, source: source)
    }

    private mutating func key() throws(StoreError) -> LoggedKey {
        let createdAt: Int64 = try reader.integer()
        let status: Int32 = try reader.integer()
        let key = try reader.string() ?? ""
        let contentType = try reader.string() ?? ""
        let length: UInt32 = try reader.integer()
        let body = try reader.bytes(Int(length))
        return LoggedKey(key: key, answer: StoredAnswer(status: Int(status), contentType: contentType, body: body),
                         createdAt: createdAt)
    }
}

/// Bounds-checked little-endian reads over a frame payload.
struct LogByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func integer<T: FixedWidthInteger>() throws(StoreError) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw .database("event log: entry runs past its frame") }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func string() throws(StoreError) -> String? {
        let length: UInt32 = try integer()
        if length == LogFormat.absent { return nil }
        guard offset + Int(length) <= bytes.count else { throw .database("event log: string runs past its frame") }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)]), as: UTF8.self)
        offset += Int(length)
        return text
    }

    mutating func bytes(_ count: Int) throws(StoreError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw .database("event log: bytes run past their frame") }
        let out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
        offset += count
        return out
    }
}
