import MWRASPCore

/// The ECS fields MWRASP types (Event.swift) read out of one JSON object, accepting the three
/// spellings senders use: nested ECS (`{"source":{"ip":...}}`), dotted ECS keys
/// (`{"source.ip":...}`) and the flat alert names of API.md (`src_ip`). When several are
/// present, nested wins over dotted, dotted over flat; the losers stay in the document as
/// unknown fields. Each chosen value's node is remembered so the document writer can leave it
/// out and write the normalized value in its ECS place instead (ECSDocument.swift).
struct ECSFields {
    enum Field: Int, CaseIterable {
        case timestamp, kind, severity, dataset, title, sourceIP, destinationIP, userName, hostName, externalID, observerName
        static var count: Int { 11 }
    }

    enum Group: Int, CaseIterable {
        case event, source, destination, user, host, observer
    }

    var timestamp: Int64?
    var kind: EventKind?
    var severity: Severity?
    var dataset: String?
    var title: String?
    var sourceIP: String?
    var destinationIP: String?
    var userName: String?
    var hostName: String?
    var externalID: String?
    var observerName: String?
    /// A flat `title` or `severity` was given: API.md's alert shape, so the kind defaults to alert.
    var flatAlert = false
    /// The value of an `Event` member, when there is one (a Windows event log record).
    var windowsRecord: Int?
    /// The first group key with an impossible type (`"event": 5`), refused in strict mode.
    private var badGroup: (Group, Int)?

    /// Chosen value node per Field (-1: none) and the priority it came with.
    /// (SIMD vectors as fixed-size arrays: no heap allocation per event on the hot path.)
    private(set) var chosen = SIMD16<Int32>(repeating: -1)
    private var priority = SIMD16<UInt8>(repeating: 0)
    /// Object node per Group (-1: none).
    private(set) var groups = SIMD8<Int32>(repeating: -1)

    func isChosen(_ node: Int, for field: Field) -> Bool { chosen[field.rawValue] == Int32(node) }

    /// Fields an adapter replaced after reading (HEC `host`, Kibana's uuid...): their chosen
    /// node no longer holds the value.
    private var overridden = SIMD16<UInt8>(repeating: 0)

    mutating func markOverridden(_ field: Field) { overridden[field.rawValue] = 1 }

    /// The chosen string node whose raw (already escaped) bytes are exactly the value, so the
    /// document can copy them instead of escaping the decoded String again.
    func rawStringNode(_ field: Field, _ scanner: JSONScanner) -> Int? {
        let node = Int(chosen[field.rawValue])
        guard node >= 0, overridden[field.rawValue] == 0, scanner.kind(node) == .string else { return nil }
        return node
    }

    func group(_ group: Group) -> Int? { groups[group.rawValue] >= 0 ? Int(groups[group.rawValue]) : nil }

    /// Takes `node` for `field` unless a better spelling (higher rank: nested 3, dotted 2,
    /// flat 1) was already seen; equal ranks: the later one wins, like a repeated key.
    private mutating func offer(_ field: Field, _ node: Int, _ rank: UInt8) {
        guard rank >= priority[field.rawValue] else { return }
        chosen[field.rawValue] = Int32(node)
        priority[field.rawValue] = rank
    }

    /// The spelling a chosen field was sent under, for error messages.
    private func name(_ field: Field) -> String {
        let rank = priority[field.rawValue]
        switch field {
        case .timestamp: return rank == 1 ? "timestamp" : "@timestamp"
        case .title: return rank == 1 ? "title" : "message"
        case .kind: return "event.kind"
        case .dataset: return "event.dataset"
        case .severity: return rank == 1 ? "severity" : "event.severity"
        case .externalID: return rank == 1 ? "id" : "event.id"
        case .sourceIP: return rank == 1 ? "src_ip" : "source.ip"
        case .destinationIP: return rank == 1 ? "dst_ip" : "destination.ip"
        case .userName: return rank == 1 ? "user" : "user.name"
        case .hostName: return rank == 1 ? "host" : "host.name"
        case .observerName: return rank == 1 ? "source" : "observer.name"
        }
    }

    /// Reads `object`. `strict` (the generic format) turns wrong types and unknown severity
    /// words into errors; lenient mode (vendor formats) ignores them and keeps the raw value.
    init(_ scanner: JSONScanner, object: Int, strict: Bool) throws(IngestError) {
        for (key, value) in scanner.members(object) {
            classify(scanner, key: key, value: value, strict: strict)
        }
        for raw in 0..<6 where groups[raw] >= 0 {
            let group = Group(rawValue: raw).unsafelyUnwrapped
            for (key, value) in scanner.members(Int(groups[raw])) {
                classifyInner(scanner, group: group, key: key, value: value)
            }
        }
        try resolve(scanner, object: object, strict: strict)
    }

    /// What a top-level key means (nil: unknown, kept in the document as it is).
    enum TopKey {
        case field(Field, UInt8, StaticString)
        case group(Group)
        /// `source`, `user`, `host`: an ECS group when an object, a flat alias when a string.
        case groupOrFlat(Group, Field, StaticString)
        case dropped
        /// `Event`: a Windows event log record (WindowsEventRecord.swift), kept as it is.
        case windowsRecord
    }

    static func topKey(_ scanner: JSONScanner, _ key: Int) -> TopKey? {
        scanner.withKeyBytes(key) { topKey($0) }
    }

    /// Matches on the key's bytes: length first, then a byte compare (no String built).
    private static func topKey(_ name: UnsafeBufferPointer<UInt8>) -> TopKey? {
        let length = name.count
        @inline(__always) func eq(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == length && memoryEqual(name.baseAddress.unsafelyUnwrapped, literal.utf8Start, length)
        }
        switch length {
        case 2: if eq("id") { return .field(.externalID, 1, "id") }
        case 4:
            if eq("user") { return .groupOrFlat(.user, .userName, "user") }
            if eq("host") { return .groupOrFlat(.host, .hostName, "host") }
        case 5:
            if eq("event") { return .group(.event) }
            if eq("title") { return .field(.title, 1, "title") }
            if eq("Event") { return .windowsRecord }
        case 6:
            if eq("source") { return .groupOrFlat(.source, .observerName, "source") }
            if eq("src_ip") { return .field(.sourceIP, 1, "src_ip") }
            if eq("dst_ip") { return .field(.destinationIP, 1, "dst_ip") }
            if eq("mwrasp") { return .dropped }
        case 7:
            if eq("message") { return .field(.title, 3, "message") }
        case 8:
            if eq("severity") { return .field(.severity, 1, "severity") }
            if eq("observer") { return .group(.observer) }
            if eq("event.id") { return .field(.externalID, 2, "event.id") }
        case 9:
            if eq("timestamp") { return .field(.timestamp, 1, "timestamp") }
            if eq("source.ip") { return .field(.sourceIP, 2, "source.ip") }
            if eq("user.name") { return .field(.userName, 2, "user.name") }
            if eq("host.name") { return .field(.hostName, 2, "host.name") }
        case 10:
            if eq("@timestamp") { return .field(.timestamp, 3, "@timestamp") }
            if eq("event.kind") { return .field(.kind, 2, "event.kind") }
        case 11:
            if eq("destination") { return .group(.destination) }
        case 13:
            if eq("event.dataset") { return .field(.dataset, 2, "event.dataset") }
            if eq("observer.name") { return .field(.observerName, 2, "observer.name") }
        case 14:
            if eq("event.severity") { return .field(.severity, 2, "event.severity") }
            if eq("destination.ip") { return .field(.destinationIP, 2, "destination.ip") }
        default: break
        }
        return nil
    }

    /// The leaf a group member stands for (`event.kind`...), nil for the group's other members.
    static func innerField(_ scanner: JSONScanner, group: Group, key: Int) -> (Field, StaticString)? {
        scanner.withKeyBytes(key) { name in
            @inline(__always) func eq(_ literal: StaticString) -> Bool {
                literal.utf8CodeUnitCount == name.count
                    && memoryEqual(name.baseAddress.unsafelyUnwrapped, literal.utf8Start, name.count)
            }
            switch group {
            case .event:
                if eq("kind") { return (.kind, "event.kind") }
                if eq("severity") { return (.severity, "event.severity") }
                if eq("dataset") { return (.dataset, "event.dataset") }
                if eq("id") { return (.externalID, "event.id") }
            case .source: if eq("ip") { return (.sourceIP, "source.ip") }
            case .destination: if eq("ip") { return (.destinationIP, "destination.ip") }
            case .user: if eq("name") { return (.userName, "user.name") }
            case .host: if eq("name") { return (.hostName, "host.name") }
            case .observer: if eq("name") { return (.observerName, "observer.name") }
            }
            return nil
        }
    }

    private mutating func classify(_ scanner: JSONScanner, key: Int, value: Int, strict: Bool) {
        guard let top = Self.topKey(scanner, key) else { return }
        switch top {
        case .field(let field, let rank, _):
            offer(field, value, rank)
        case .group(let group):
            switch scanner.kind(value) {
            case .object: groups[group.rawValue] = Int32(value)
            case .null: break
            default: if badGroup == nil { badGroup = (group, value) }
            }
        case .groupOrFlat(let group, let field, _):
            switch scanner.kind(value) {
            case .object: groups[group.rawValue] = Int32(value)
            case .string, .null: offer(field, value, 1)
            default: if badGroup == nil { badGroup = (group, value) }
            }
        case .dropped:
            break
        case .windowsRecord:
            if scanner.kind(value) == .object { windowsRecord = value }
        }
    }

    private mutating func classifyInner(_ scanner: JSONScanner, group: Group, key: Int, value: Int) {
        if let (field, _) = Self.innerField(scanner, group: group, key: key) { offer(field, value, 3) }
    }

    private func node(_ field: Field) -> Int? { chosen[field.rawValue] >= 0 ? Int(chosen[field.rawValue]) : nil }

    /// Turns the chosen nodes into typed values, checking types.
    private mutating func resolve(_ scanner: JSONScanner, object: Int, strict: Bool) throws(IngestError) {
        func text(_ field: Field, allowNumber: Bool = false) throws(IngestError) -> String? {
            guard let node = node(field) else { return nil }
            switch scanner.kind(node) {
            case .string: return scanner.string(node)
            case .null: return nil
            case .number where allowNumber: return scanner.numberText(node)
            case let kind:
                // `user`, `host`, `source` may also be ECS groups (objects).
                let groupAlias = priority[field.rawValue] == 1 && (field == .userName || field == .hostName || field == .observerName)
                if strict { throw IngestError.wrongType(name(field), expected: groupAlias ? "a string or an object" : "a string", got: kind) }
                return nil
            }
        }
        title = try text(.title)
        sourceIP = try text(.sourceIP)
        destinationIP = try text(.destinationIP)
        userName = try text(.userName)
        hostName = try text(.hostName)
        externalID = try text(.externalID, allowNumber: true)
        observerName = try text(.observerName)
        dataset = try text(.dataset)
        if let node = node(.severity), scanner.kind(node) != .null {
            let word = scanner.kind(node) == .number ? scanner.numberText(node) : scanner.string(node)
            severity = word.flatMap(Self.severity)
            if severity == nil && strict {
                let got = word.map { "\"\($0)\"" } ?? scanner.kind(node).name
                throw IngestError(reason: "field \(name(.severity)) must be one of critical, high, medium, low, info or 1-4, got \(got)")
            }
        }
        if let node = node(.kind), scanner.kind(node) != .null {
            if let word = scanner.string(node) {
                kind = Self.kind(word)
            } else if strict {
                throw IngestError.wrongType(name(.kind), expected: "a string", got: scanner.kind(node))
            }
        }
        if let node = node(.timestamp) {
            timestamp = Self.timestamp(scanner, node)
            if timestamp == nil && strict && scanner.kind(node) != .null {
                let name = name(.timestamp)
                if scanner.kind(node) == .string || scanner.kind(node) == .number {
                    throw IngestError(reason: "field \(name) must be an RFC 3339 date-time or epoch seconds, got \(String(decoding: scanner.rawBytes(node), as: UTF8.self))")
                }
                throw IngestError.wrongType(name, expected: "a string", got: scanner.kind(node))
            }
        }
        if strict, let (group, node) = badGroup {
            // A flat field whose ECS name is a group (`"event": 5`) cannot be placed anywhere.
            let isAlias = group == .user || group == .host || group == .source
            throw IngestError.wrongType(Self.groupName(group), expected: isAlias ? "a string or an object" : "an object",
                                        got: scanner.kind(node))
        }
        flatAlert = priority[Field.title.rawValue] == 1 || priority[Field.severity.rawValue] == 1
    }

    /// Our own five names first (no lowercasing, no allocation: the hot path), then
    /// `Severity(vendor:)` for every other spelling.
    static func severity(_ word: String) -> Severity? {
        switch word {
        case "critical": .critical
        case "high": .high
        case "medium": .medium
        case "low": .low
        case "info": .info
        default: Severity(vendor: word)
        }
    }

    /// `event.kind` words (ECS allows more; "signal" is Elastic's old word for an alert).
    static func kind(_ word: String) -> EventKind {
        switch word {
        case "alert", "signal": return .alert
        case "event": return .event
        case "telemetry": return .telemetry
        default: break
        }
        return switch word.lowercased() {
        case "alert", "signal": .alert
        case "telemetry": .telemetry
        default: .event
        }
    }

    /// An RFC 3339 string, an epoch number, or epoch seconds in a string.
    static func timestamp(_ scanner: JSONScanner, _ node: Int) -> Int64? {
        let n = scanner.nodes[node]
        switch n.kind {
        case .string:
            return scanner.withKeyBytes(node) { text in
                Timestamps.parseRFC3339(text) ?? Timestamps.parseEpochSeconds(text)
            }
        case .number:
            return Timestamps.parseEpochNumber(scanner.rawBytes(node))
        default:
            return nil
        }
    }

    static func groupName(_ group: Group) -> String {
        switch group {
        case .event: "event"
        case .source: "source"
        case .destination: "destination"
        case .user: "user"
        case .host: "host"
        case .observer: "observer"
        }
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for i in 0..<count where a[i] != b[i] { return false }
    return true
}
