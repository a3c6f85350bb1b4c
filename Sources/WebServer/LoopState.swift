import Glibc
import HTTPCore
import Metrics
import NetIO

/// What one event loop keeps for the connections it owns: the shared read buffer, the
/// cached `Date` header, request-id generation, metric handles and the connection table.
/// Touched only on its loop's thread, so none of it needs a lock.
final class LoopState {
    let loop: EventLoop
    let readBuffer: UnsafeMutableRawBufferPointer
    private(set) var connections: [Int32: HTTPConnection] = [:]
    private(set) var dateHeaderValue: String = ""
    /// `Date: <IMF-fixdate>\r\n`, ready to copy into a response head.
    private(set) var dateFieldLine: [UInt8] = []
    private var dateSecond: Int = -1
    private var random: SplitMix64
    let metrics: LoopMetrics

    init(loop: EventLoop, readBufferSize: Int, metrics: LoopMetrics) {
        self.loop = loop
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readBufferSize, alignment: 16)
        var system = SystemRandomNumberGenerator()
        self.random = SplitMix64(seed: system.next())
        self.metrics = metrics
        refreshDate()
    }

    deinit { readBuffer.deallocate() }

    func add(_ connection: HTTPConnection) { connections[connection.fd] = connection }
    func remove(_ connection: HTTPConnection) {
        if connections[connection.fd] === connection { connections[connection.fd] = nil }
    }

    /// IMF-fixdate of the current second, recomputed at most once a second.
    func refreshDate() {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let second = Int(spec.tv_sec)
        if second != dateSecond {
            dateSecond = second
            dateHeaderValue = HTTPDate.format(epochSeconds: second)
            dateFieldLine = Array("Date: \(dateHeaderValue)\r\n".utf8)
        }
    }

    /// The client's `X-Request-Id` when it is a sane token (1-128 of `A-Z a-z 0-9 - _ . :`),
    /// else a fresh 16-hex-digit id. Ids only need to be unique, not secret.
    func requestID(from header: String?) -> String {
        if let header, RequestIDPolicy.isWellFormed(header) { return header }
        let value = random.next()
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * index)) & 0xF
                buffer[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }
}

enum RequestIDPolicy {
    static func isWellFormed(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard (1...128).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }
}

/// A small, fast PRNG (Steele, Lea, Flood 2014) for request ids.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
