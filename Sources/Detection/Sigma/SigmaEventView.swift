import Ingestion
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value as matching sees it: the bytes, and the bytes ASCII-folded.
struct SigmaValueText: Sendable {
    let bytes: [UInt8]
    let folded: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // No upper-case ASCII: the folded form is the same buffer (no copy).
        self.folded = bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? SigmaBytes.folded(bytes) : bytes
    }

    init(_ text: String) { self.init(bytes: Array(text.utf8)) }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// What a field resolved to in one event.
enum SigmaResolved: Sendable {
    case absent
    case null
    case values([SigmaValueText])
}

/// One event's document, with the Windows record's parts located once, for field lookups.
struct SigmaEventView {
    let document: JSONScanner?
    let system: Int?
    let eventData: Int?
    let userData: Int?

    /// `borrowing`: an initializer otherwise takes its argument owned, so every caller would
    /// copy the whole input (retaining each field of its event) only to read its document.
    init(_ input: borrowing DetectionInput) {
        document = input.document
        var system: Int?, eventData: Int?, userData: Int?
        if let doc = input.document, doc.kind(doc.root) == .object, let record = Self.object(doc, doc.root, "Event") {
            system = Self.object(doc, record, "System")
            eventData = Self.object(doc, record, "EventData")
            userData = Self.object(doc, record, "UserData")
        }
        self.system = system
        self.eventData = system == nil ? nil : eventData
        self.userData = system == nil ? nil : userData
    }

    var isWindows: Bool { system != nil }

    /// The member `name` of `object` when it is an object, comparing bytes: runs for every event.
    private static func object(_ doc: JSONScanner, _ object: Int, _ name: StaticString) -> Int? {
        let found = lastMember(doc, object, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        guard let found, doc.nodes[found].kind == .object else { return nil }
        return found
    }

    /// `JSONScanner.member(_:_:)` on name bytes: the value of the last member named `name`
    /// (escaped keys decoded), nil when there is none or `object` is not an object.
    static func lastMember(_ doc: JSONScanner, _ object: Int, _ name: UnsafeBufferPointer<UInt8>) -> Int? {
        doc.nodes.withUnsafeBufferPointer { tape in
            doc.bytes.withUnsafeBufferPointer { bytes in
                guard tape[object].kind == .object else { return nil }
                var found: Int?
                JSONTapeMembers.forEach(tape, of: object) { key, value in
                    if key.escaped {
                        if doc.decodedBytes(value - 1).elementsEqual(name) { found = value }
                    } else if JSONTapeMembers.keyEquals(key, bytes, name) {
                        found = value
                    }
                    return true
                }
                return found
            }
        }
    }

    /// `JSONScanner.value(at:from:)` on name bytes.
    private static func value(_ doc: JSONScanner, at path: [[UInt8]], from start: Int) -> Int? {
        var current = start
        for name in path {
            guard let next = name.withUnsafeBufferPointer({ lastMember(doc, current, $0) }) else { return nil }
            current = next
        }
        return current
    }

    /// Resolves a field in the order SigmaFieldMapping documents.
    /// `skipEventDataName`: the caller already knows EventData has no member named exactly
    /// `plan.name`; `spacedKeys` false: it knows no EventData key holds a space.
    func resolve(_ plan: SigmaFieldPlan, skipEventDataName: Bool = false, spacedKeys: Bool = true) -> SigmaResolved {
        guard let doc = document, let node = locate(plan, skipEventDataName: skipEventDataName, spacedKeys: spacedKeys) else {
            return .absent
        }
        return texts(doc, node)
    }

    /// The node a field resolves to (see `resolve`), nil when absent.
    func locate(_ plan: SigmaFieldPlan, skipEventDataName: Bool = false, spacedKeys: Bool = true) -> Int? {
        guard let doc = document else { return nil }
        if let system {
            if let eventData {
                if !skipEventDataName, let node = member(doc, eventData, plan.nameBytes) { return node }
                for alias in plan.aliases {
                    if let node = member(doc, eventData, alias) { return node }
                }
                // Some providers (Defender) name their data with spaces ("Source Name");
                // Sigma spells it without ("SourceName"), as evtx renderers normalize it.
                if spacedKeys, let node = member(doc, eventData, plan.nameBytes, ignoringSpaces: true) { return node }
            }
            if let userData {
                for (_, inner) in doc.members(userData) where doc.kind(inner) == .object {
                    if let node = member(doc, inner, plan.nameBytes) { return node }
                }
            }
            if let path = plan.systemPathBytes, let node = Self.value(doc, at: path, from: system) { return node }
        }
        for path in plan.ecsPathBytes {
            if let node = dotted(doc, doc.root, path) { return node }
        }
        return dotted(doc, doc.root, plan.nameBytes)
    }

    /// JSONScanner.value(atDotted:) without allocating (JSONDottedPath): this runs for every
    /// field a Windows record lacks (most of the fields of a plan).
    private func dotted(_ doc: JSONScanner, _ object: Int, _ path: [UInt8]) -> Int? {
        path.withUnsafeBufferPointer { JSONDottedPath.node(doc, object, $0) }
    }

    /// A member by name bytes, comparing raw key bytes (escaped keys never equal: as before,
    /// their raw bytes are compared).
    private func member(_ doc: JSONScanner, _ object: Int, _ name: [UInt8], ignoringSpaces: Bool = false) -> Int? {
        doc.nodes.withUnsafeBufferPointer { tape in
            doc.bytes.withUnsafeBufferPointer { bytes in
                name.withUnsafeBufferPointer { name in
                    var found: Int?
                    JSONTapeMembers.forEach(tape, of: object) { node, value in
                        if ignoringSpaces {
                            // Only keys longer than the name can differ from it by spaces.
                            guard !node.escaped, Int(node.end - node.start) > name.count else { return true }
                            var k = Int(node.start), j = 0
                            let end = Int(node.end)
                            var equal = true
                            while k < end {
                                let b = bytes[k]
                                k += 1
                                if b == 0x20 { continue }
                                if j >= name.count || name[j] != b { equal = false; break }
                                j += 1
                            }
                            if equal && j == name.count { found = value }
                        } else if JSONTapeMembers.keyEquals(node, bytes, name) {
                            found = value
                        }
                        return true
                    }
                    return found
                }
            }
        }
    }

    /// A node's scalar texts: strings, numbers as written, booleans; an EVTX
    /// `{"#text": ...}` object as its text; an array as its scalar elements.
    func texts(_ doc: JSONScanner, _ node: Int) -> SigmaResolved {
        switch doc.kind(node) {
        case .null: return .null
        case .object:
            if let text = doc.member(node, "#text") { return texts(doc, text) }
            return .absent
        case .array:
            var out: [SigmaValueText] = []
            for element in doc.elements(node) {
                if let t = Self.scalar(doc, element) { out.append(t) }
            }
            return .values(out)
        default:
            return Self.scalar(doc, node).map { .values([$0]) } ?? .absent
        }
    }

    static func scalar(_ doc: JSONScanner, _ node: Int) -> SigmaValueText? {
        let n = doc.nodes[node]
        switch n.kind {
        case .string:
            if n.escaped { return SigmaValueText(bytes: doc.decodedBytes(node)) }
            return SigmaValueText(bytes: Array(doc.bytes[Int(n.start)..<Int(n.end)]))
        case .number: return SigmaValueText(bytes: Array(doc.bytes[Int(n.start)..<Int(n.end)]))
        case .true: return SigmaValueText("true")
        case .false: return SigmaValueText("false")
        default: return nil
        }
    }

    /// Every scalar value of the document (not keys), for keyword searches.
    func allValues() -> [SigmaValueText] {
        guard let doc = document else { return [] }
        var out: [SigmaValueText] = []
        forEachValueNode(doc, doc.root) { node in
            if let t = Self.scalar(doc, node) { out.append(t) }
        }
        return out
    }

    /// Visits every scalar value node (object keys skipped).
    func forEachValueNode(_ doc: JSONScanner, _ node: Int, _ body: (Int) -> Void) {
        switch doc.kind(node) {
        case .object:
            for (_, value) in doc.members(node) { forEachValueNode(doc, value, body) }
        case .array:
            for element in doc.elements(node) { forEachValueNode(doc, element, body) }
        default:
            body(node)
        }
    }
}
