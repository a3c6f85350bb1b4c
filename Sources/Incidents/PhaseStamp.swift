/// When the incident entered a phase. Phases skipped over have no stamp.
public struct PhaseStamp: Sendable, Equatable, Codable {
    public var phase: IncidentPhase
    public var enteredAt: Int64

    public init(phase: IncidentPhase, enteredAt: Int64) {
        self.phase = phase
        self.enteredAt = enteredAt
    }

    enum CodingKeys: String, CodingKey { case phase, enteredAt = "entered_at" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        phase = try c.decode(IncidentPhase.self, forKey: .phase)
        enteredAt = try c.decodeTime(forKey: .enteredAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(phase, forKey: .phase)
        try c.encodeTime(enteredAt, forKey: .enteredAt)
    }
}
