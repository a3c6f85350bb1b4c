/// Every timer a connection runs under; defaults as DESIGN.md §3 and API.md give them.
public struct ConnectionTimeouts: Sendable, Equatable {
    /// From accept (or the first byte of a request head) to the end of the head; also bounds
    /// the TLS handshake. Slowloris protection: 408 and close.
    public var header: Duration = .seconds(10)
    /// A keep-alive connection with no request in progress is closed after this.
    public var idle: Duration = .seconds(60)
    /// Longest pause between two pieces of a request body: 408 and close.
    public var body: Duration = .seconds(30)
    /// Longest a response may wait for a client that does not read it.
    public var write: Duration = .seconds(30)
    /// After answering an error we stop writing but keep reading (and discarding) this long,
    /// so the client sees our answer instead of a reset (the "lingering close").
    public var linger: Duration = .seconds(2)

    public init() {}

    public init(header: Duration, idle: Duration, body: Duration, write: Duration = .seconds(30), linger: Duration = .seconds(2)) {
        self.header = header
        self.idle = idle
        self.body = body
        self.write = write
        self.linger = linger
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}

/// Where a connection is in its life, with the time that its current timer counts from.
/// Pure data, so the timeout rules below are tested with plain numbers, no clock.
public enum ConnectionState: Sendable, Equatable {
    case handshaking(since: UInt64)
    /// Between requests. `headStartedAt` is set once bytes of the next head have arrived.
    case awaitingRequest(idleSince: UInt64, headStartedAt: UInt64?)
    case readingBody(lastProgress: UInt64)
    /// A handler is running; the connection waits for it (its own deadline, not ours).
    case handling
    case lingering(since: UInt64)
    case closed
}

public enum TimeoutAction: Sendable, Equatable {
    case none
    /// Close without a word: idle keep-alive, stalled handshake, client not reading, linger over.
    case close
    /// Answer 408 and close: the client started a request and did not finish it in time.
    case requestTimeout(String)
}

extension ConnectionTimeouts {
    /// The rule: which timer applies in `state` and whether it has run out at `now`.
    /// `writeBlockedSince` is when a write last could not make progress, nil when none waits.
    public func action(for state: ConnectionState, writeBlockedSince: UInt64?, now: UInt64) -> TimeoutAction {
        if let blocked = writeBlockedSince, now &- blocked > write.nanoseconds {
            return .close
        }
        switch state {
        case .handshaking(let since):
            return now &- since > header.nanoseconds ? .close : .none
        case .awaitingRequest(let idleSince, nil):
            return now &- idleSince > idle.nanoseconds ? .close : .none
        case .awaitingRequest(_, let headStartedAt?):
            return now &- headStartedAt > header.nanoseconds
                ? .requestTimeout("The request head was not complete within \(header).") : .none
        case .readingBody(let lastProgress):
            return now &- lastProgress > body.nanoseconds
                ? .requestTimeout("The request body stalled for more than \(body).") : .none
        case .lingering(let since):
            return now &- since > linger.nanoseconds ? .close : .none
        case .handling, .closed:
            return .none
        }
    }
}
