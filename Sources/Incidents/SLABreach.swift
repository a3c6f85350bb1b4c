/// A phase that overran its INC-001 window: the incident was still in `phase` (or had not yet
/// left it) after `deadline`. Recorded once per phase.
public struct SLABreach: Sendable, Equatable, Codable {
    public var phase: IncidentPhase
    public var deadline: Int64
    /// When the overrun was noticed: the tick after the deadline, or the late transition.
    public var recordedAt: Int64

    public init(phase: IncidentPhase, deadline: Int64, recordedAt: Int64) {
        self.phase = phase
        self.deadline = deadline
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey { case phase, deadline, recordedAt = "recorded_at" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        phase = try c.decode(IncidentPhase.self, forKey: .phase)
        deadline = try c.decodeTime(forKey: .deadline)
        recordedAt = try c.decodeTime(forKey: .recordedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(phase, forKey: .phase)
        try c.encodeTime(deadline, forKey: .deadline)
        try c.encodeTime(recordedAt, forKey: .recordedAt)
    }
}
