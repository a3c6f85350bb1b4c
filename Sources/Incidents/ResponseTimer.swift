import MWRASPCore

/// One response-time objective running on an incident. It starts when the incident opens (or
/// when a finding raises the incident to a severity with a stricter objective: the new timer
/// runs from that moment), is met when its milestone is recorded by the deadline (inclusive),
/// and is breached when the deadline passes unmet: noticed by `tick(now:)` or, if no tick ran
/// in between, by the late milestone itself, so the outcome never depends on the tick rate.
public struct ResponseTimer: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case pending
        case met
        case breached
        /// The incident was closed as false positive or benign before the milestone: nobody
        /// owed a response.
        case cancelled
    }

    public var milestone: Milestone
    public var severity: Severity
    public var startedAt: Int64
    public var deadline: Int64
    public var state: State
    /// When the milestone was reached (also for a late one, which stays `breached`).
    public var metAt: Int64?
    /// When the breach was recorded.
    public var breachedAt: Int64?

    public init(milestone: Milestone, severity: Severity, startedAt: Int64, deadline: Int64, state: State = .pending,
                metAt: Int64? = nil, breachedAt: Int64? = nil) {
        self.milestone = milestone
        self.severity = severity
        self.startedAt = startedAt
        self.deadline = deadline
        self.state = state
        self.metAt = metAt
        self.breachedAt = breachedAt
    }

    enum CodingKeys: String, CodingKey {
        case milestone, severity, state
        case startedAt = "started_at", deadline, metAt = "met_at", breachedAt = "breached_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        milestone = try c.decode(Milestone.self, forKey: .milestone)
        severity = try c.decodeSeverity(forKey: .severity)
        state = try c.decode(State.self, forKey: .state)
        startedAt = try c.decodeTime(forKey: .startedAt)
        deadline = try c.decodeTime(forKey: .deadline)
        metAt = try c.decodeTimeIfPresent(forKey: .metAt)
        breachedAt = try c.decodeTimeIfPresent(forKey: .breachedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(milestone, forKey: .milestone)
        try c.encodeSeverity(severity, forKey: .severity)
        try c.encode(state, forKey: .state)
        try c.encodeTime(startedAt, forKey: .startedAt)
        try c.encodeTime(deadline, forKey: .deadline)
        try c.encodeTimeIfPresent(metAt, forKey: .metAt)
        try c.encodeTimeIfPresent(breachedAt, forKey: .breachedAt)
    }
}
