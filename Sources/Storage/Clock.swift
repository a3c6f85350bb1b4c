import Foundation

/// Wall-clock milliseconds since the Unix epoch (idempotency key ages).
enum WallClock {
    static func milliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
