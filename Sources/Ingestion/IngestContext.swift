import MWRASPCore

/// Per-request state the adapters share: the receive time stamped on every event, the
/// per-event size limit, and the id generator. A value type owned by one request handler,
/// so the hot path takes no locks.
public struct IngestContext: Sendable {
    /// Milliseconds since the Unix epoch; every event's `receivedAt`, and its `timestamp` when
    /// the sender gave none.
    public var receivedAt: Int64
    /// A single event (an NDJSON line, a whole single-event body, one HEC object) larger than
    /// this is refused with "event too large" before it is parsed.
    public var maxEventBytes: Int = 1 << 20
    private var random: FastRandom

    public init(receivedAt: Int64) {
        self.receivedAt = receivedAt
        self.random = FastRandom()
    }

    /// A fresh ULID for an event received now (ids sort by arrival, EventID.swift).
    public mutating func nextID() -> EventID {
        EventID(milliseconds: receivedAt, using: &random)
    }

    /// 32 lowercase hex digits, for PagerDuty's generated `dedup_key`.
    mutating func randomHex32() -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for _ in 0..<2 {
            var word = random.next()
            for _ in 0..<16 {
                out.append(digits[Int(word & 15)])
                word >>= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func tooLarge(_ size: Int) -> IngestError {
        IngestError(reason: "event too large: \(size) bytes, the limit is \(maxEventBytes)")
    }
}
