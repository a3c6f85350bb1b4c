import Ingestion

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

    init(_ input: DetectionInput) {
        document = input.document
        var system: Int?, eventData: Int?, userData: Int?
        if let doc = input.document, doc.kind(doc.root) == .object, let record = doc.member(doc.root, "Event"), doc.kind(record) == .object {
            system = doc.member(record, "System").flatMap { doc.kind($0) == .object ? $0 : nil }
            eventData = doc.member(record, "EventData").flatMap { doc.kind($0) == .object ? $0 : nil }
            userData = doc.member(record, "UserData").flatMap { doc.kind($0) == .object ? $0 : nil }
        }
        self.system = system
        self.eventData = system == nil ? nil : eventData
        self.userData = system == nil ? nil : userData
    }

    var isWindows: Bool { system != nil }

    /// Resolves a field in the order SigmaFieldMapping documents.
    /// `skipEventDataName`: the caller already knows EventData has no member named exactly
    /// `plan.name`; `spacedKeys` false: it knows no EventData key holds a space.
    func resolve(_ plan: SigmaFieldPlan, skipEventDataName: Bool = false, spacedKeys: Bool = true) -> SigmaResolved {
        guard let doc = document else { return .absent }
        if let system {
            if let eventData {
                if !skipEventDataName, let node = member(doc, eventData, plan.nameBytes) { return texts(doc, node) }
                for alias in plan.aliases {
                    if let node = member(doc, eventData, alias) { return texts(doc, node) }
                }
                // Some providers (Defender) name their data with spaces ("Source Name");
                // Sigma spells it without ("SourceName"), as evtx renderers normalize it.
                if spacedKeys, let node = member(doc, eventData, plan.nameBytes, ignoringSpaces: true) { return texts(doc, node) }
            }
            if let userData {
                for (_, inner) in doc.members(userData) where doc.kind(inner) == .object {
                    if let node = member(doc, inner, plan.nameBytes) { return texts(doc, node) }
                }
            }
            if let path = plan.systemPath, let node = doc.value(at: path, from: system) { return texts(doc, node) }
        }
        for path in plan.ecsPathBytes {
            if let node = dotted(doc, doc.root, path[...]) { return texts(doc, node) }
        }
        if let node = dotted(doc, doc.root, plan.nameBytes[...]) { return texts(doc, node) }
        return .absent
    }

    /// JSONScanner.value(atDotted:) without allocating: a dotted path through nested
    /// objects, dotted keys or a mix (the last match wins, as there).
    private func dotted(_ doc: JSONScanner, _ object: Int, _ path: ArraySlice<UInt8>) -> Int? {
        guard doc.nodes[object].kind == .object else { return nil }
        var found: Int?
        doc.bytes.withUnsafeBufferPointer { bytes in
            for (key, value) in doc.members(object) {
                let node = doc.nodes[key]
                let name: ArraySlice<UInt8> = node.escaped ? doc.decodedBytes(key)[...] : ArraySlice(UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)]))
                if name.count == path.count {
                    if name.elementsEqual(path) { found = value }
                } else if name.count < path.count, path[path.startIndex + name.count] == UInt8(ascii: "."),
                          path.starts(with: name), doc.nodes[value].kind == .object,
                          let inner = dotted(doc, value, path[(path.startIndex + name.count + 1)...]) {
                    found = inner
                }
            }
        }
        return found
    }

    /// A member by name bytes, comparing raw key bytes (decoding only escaped keys).
    private func member(_ doc: JSONScanner, _ object: Int, _ name: [UInt8], ignoringSpaces: Bool = false) -> Int? {
        var found: Int?
        doc.bytes.withUnsafeBufferPointer { bytes in
            for (key, value) in doc.members(object) {
                let node = doc.nodes[key]
                if ignoringSpaces {
                    // Only keys longer than the name can differ from it by spaces.
                    guard !node.escaped, Int(node.end - node.start) > name.count else { continue }
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
                    continue
                }
                let length = Int(node.end - node.start)
                guard length == name.count else { continue }
                var equal = true
                for i in 0..<length where bytes[Int(node.start) + i] != name[i] { equal = false; break }
                if equal { found = value }
            }
        }
        return found
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
