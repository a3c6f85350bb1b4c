/// What the seed's response-time objectives wait for (DESIGN.md §4, under the table).
public enum Milestone: String, Sendable, Codable, CaseIterable {
    case firstAutomatedAction = "first_automated_action"
    case notification
    case investigation
    case logged
}

/// When a milestone was first reached. Later recordings of the same milestone keep the first.
public struct MilestoneStamp: Sendable, Equatable, Codable {
    public var milestone: Milestone
    public var at: Int64

    public init(milestone: Milestone, at: Int64) {
        self.milestone = milestone
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case milestone, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        milestone = try c.decode(Milestone.self, forKey: .milestone)
        at = try c.decodeTime(forKey: .at)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(milestone, forKey: .milestone)
        try c.encodeTime(at, forKey: .at)
    }
}
