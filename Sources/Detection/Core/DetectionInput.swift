import Ingestion
import MWRASPCore

/// One stored event as the detectors see it: the typed ECS fields of `Event`, and its
/// normalized document parsed once (a JSONScanner tape, no dictionary) so that every detector
/// can read any field by path without parsing again.
public struct DetectionInput: Sendable {
    public let event: Event
    /// The tape of `event.document`; nil only if the document is not valid JSON, which the
    /// ingestion adapters never produce.
    public let document: JSONScanner?

    public init(event: Event) {
        self.event = event
        self.document = try? JSONScanner(event.document)
    }

    /// The node of a dotted ECS path (`process.command_line`, `Event.EventData.Image`), through
    /// nested objects, dotted keys or a mix.
    public func node(_ dottedPath: String) -> Int? {
        guard let document else { return nil }
        return JSONDottedPath.node(document, document.root, dottedPath)
    }

    /// A scalar field as text: strings as they are, numbers as written, booleans as
    /// `true`/`false`; nil for objects, arrays, null and absent fields.
    public func text(_ dottedPath: String) -> String? {
        guard let document, let node = JSONDottedPath.node(document, document.root, dottedPath) else { return nil }
        return Self.text(document, node)
    }

    public static func text(_ document: JSONScanner, _ node: Int) -> String? {
        switch document.kind(node) {
        case .string: return document.string(node)
        case .number: return document.numberText(node)
        case .true: return "true"
        case .false: return "false"
        default: return nil
        }
    }
}

/// A detector that looks at one event at a time. Stateful detectors (windows, baselines)
/// keep their state inside; the pipeline calls `evaluate` from one task at a time per
/// detector, in ingest order.
public protocol EventDetector: AnyObject, Sendable {
    func evaluate(_ input: DetectionInput) -> [Finding]
}
