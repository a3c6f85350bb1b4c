/// One line of an incident's timeline (`GET /v1/incidents/{id}/timeline`), append-only: the
/// integrator writes each new entry as a row and never rewrites one.
public struct TimelineEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The incident was opened (by its first finding).
        case opened
        /// The events behind a finding happened (at their event time).
        case event
        /// A finding joined (or opened) the incident.
        case detection
        /// The deduplicator counted more repeats of a finding already in the incident.
        case repeated
        /// A finding raised the incident's severity.
        case escalation
        case transition
        case assignment
        case disposition
        case milestone
        /// An action taken on the incident (automated playbook step or manual).
        case action
        /// A phase window or a response-time objective overran.
        case slaBreach = "sla_breach"
    }

    public var incidentID: String
    /// Position in the incident's timeline, from 1: orders entries stamped with the same time.
    public var sequence: Int
    public var time: Int64
    public var kind: Kind
    public var summary: String
    /// Ids the entry is about: detections, events, detectors, phases, milestones.
    public var refs: [String]

    public init(incidentID: String, sequence: Int, time: Int64, kind: Kind, summary: String, refs: [String] = []) {
        self.incidentID = incidentID
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.summary = summary
        self.refs = refs
    }

    /// Display order: by time, then by the order they were written.
    public static func chronological(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
        (a.time, a.sequence) < (b.time, b.sequence)
    }

    enum CodingKeys: String, CodingKey { case incidentID = "incident_id", sequence, time, kind, summary, refs }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        incidentID = try c.decode(String.self, forKey: .incidentID)
        sequence = try c.decode(Int.self, forKey: .sequence)
        time = try c.decodeTime(forKey: .time)
        kind = try c.decode(Kind.self, forKey: .kind)
        summary = try c.decode(String.self, forKey: .summary)
        refs = try c.decodeIfPresent([String].self, forKey: .refs) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incidentID, forKey: .incidentID)
        try c.encode(sequence, forKey: .sequence)
        try c.encodeTime(time, forKey: .time)
        try c.encode(kind, forKey: .kind)
        try c.encode(summary, forKey: .summary)
        try c.encode(refs, forKey: .refs)
    }
}
