import Ingestion

/// The logsource of one event, derived as SIEM backends for Sigma do, so that a rule only
/// sees the events it was written for. A rule applies when every logsource field it gives
/// is satisfied: its product equals ours, its service equals ours, its category is one of
/// ours (Sysmon 12 is both `registry_add` and `registry_event`).
///
/// - Windows records (`Event.System` present): product `windows`; service from the channel
///   (`SigmaWindowsLogsources.services`); categories from provider + event id
///   (`SigmaWindowsLogsources.categories`).
/// - Any event may state its logsource: top-level `logsource.product`, `logsource.service`,
///   `logsource.category` (an object or dotted keys). These win over derived values.
/// - Otherwise `event.dataset` `a.b...` gives product `a` and service `b` (ECS's
///   module.fileset convention: `aws.cloudtrail`, `okta.system`, `zeek.dns`).
/// An event with none of these only sees rules whose logsource restricts nothing.
public struct SigmaEventLogsource: Sendable, Equatable {
    public var product: String?
    public var service: String?
    public var categories: [String]

    public init(product: String? = nil, service: String? = nil, categories: [String] = []) {
        self.product = product
        self.service = service
        self.categories = categories
    }

    public init(of input: DetectionInput) {
        self.init(SigmaEventView(input), dataset: input.event.dataset)
    }

    init(_ view: SigmaEventView, dataset: String?) {
        self.init()
        guard let doc = view.document else { return }
        if let system = view.system {
            product = "windows"
            let channel = doc.value(at: ["Channel"], from: system).flatMap { Self.text(doc, $0) }
            if let channel { service = SigmaWindowsLogsources.services[channel.lowercased()] }
            let provider = doc.value(at: ["Provider", "#attributes", "Name"], from: system).flatMap { Self.text(doc, $0) }
                ?? doc.value(at: ["Provider", "Name"], from: system).flatMap { Self.text(doc, $0) }
            let eventID = doc.value(at: ["EventID"], from: system).flatMap { Self.text(doc, $0) }.flatMap { Int($0) }
            if let eventID {
                var eventType: String?
                if let data = view.eventData, let node = doc.member(data, "EventType") { eventType = Self.text(doc, node) }
                categories = SigmaWindowsLogsources.categories(provider: provider, channel: channel, eventID: eventID, eventType: eventType)
            }
        } else if let dataset {
            let parts = dataset.lowercased().split(separator: ".", maxSplits: 2)
            if parts.count >= 1 { product = String(parts[0]) }
            if parts.count >= 2 { service = String(parts[1]) }
        }
        // Explicit fields: only looked up when the document has a `logsource...` key at all.
        guard doc.kind(doc.root) == .object, Self.hasLogsourceKey(doc) else { return }
        if let explicit = doc.value(atDotted: "logsource.product").flatMap({ Self.text(doc, $0) }) { product = explicit.lowercased() }
        if let explicit = doc.value(atDotted: "logsource.service").flatMap({ Self.text(doc, $0) }) { service = explicit.lowercased() }
        if let explicit = doc.value(atDotted: "logsource.category").flatMap({ Self.text(doc, $0) }) { categories = [explicit.lowercased()] }
    }

    private static let logsourceKey = Array("logsource".utf8)

    /// Whether a top-level key starts with `logsource` (raw bytes, no String per key).
    private static func hasLogsourceKey(_ doc: JSONScanner) -> Bool {
        for (key, _) in doc.members(doc.root) {
            let n = doc.nodes[key]
            guard Int(n.end - n.start) >= logsourceKey.count else { continue }
            if doc.bytes[Int(n.start)..<(Int(n.start) + logsourceKey.count)].elementsEqual(logsourceKey) { return true }
        }
        return false
    }

    private static func text(_ doc: JSONScanner, _ node: Int) -> String? {
        if doc.kind(node) == .object, let inner = doc.member(node, "#text") { return text(doc, inner) }
        return DetectionInput.text(doc, node)
    }
}
