import MWRASPCore

/// Dedup keys (DESIGN.md section 5, "same fingerprint within the window increments a
/// counter"): FNV-1a 128 over the configured fields' values, as 32 lowercase hex digits.
/// Not a cryptographic hash (nothing secret depends on it; an attacker who forges a collision
/// only merges their own alerts) but stable across processes, nodes and versions, unlike
/// Swift's seeded `Hasher`. Each value is prefixed with its length (and absence with a
/// marker no length can take), so ("ab","c") and ("a","bc") differ, and nil differs from "".
public struct Fingerprinter: Sendable {
    public var fields: [String]

    public static let defaultFields: [String] = ["source", "title", "source.ip", "destination.ip", "user.name", "host.name"]
    public static let knownFields: [String] = [
        "source", "kind", "dataset", "severity", "title", "source.ip", "destination.ip", "user.name", "host.name", "external_id",
    ]

    public init(fields: [String] = Fingerprinter.defaultFields) throws(IngestError) {
        for field in fields where !Self.knownFields.contains(field) {
            throw IngestError(reason: "unknown fingerprint field \(field); known: \(Self.knownFields.joined(separator: ", "))")
        }
        guard !fields.isEmpty else { throw IngestError(reason: "fingerprint fields must not be empty") }
        self.fields = fields
    }

    public func fingerprint(_ event: Event) -> String {
        var hash = FNV1a128()
        for field in fields {
            hash.add(value(field, of: event))
        }
        return hash.hex
    }

    private func value(_ field: String, of event: Event) -> String? {
        switch field {
        case "source": event.source.rawValue
        case "kind": event.kind.rawValue
        case "dataset": event.dataset
        case "severity": event.severity?.name
        case "title": event.title
        case "source.ip": event.sourceIP
        case "destination.ip": event.destinationIP
        case "user.name": event.userName
        case "host.name": event.hostName
        case "external_id": event.externalID
        default: nil
        }
    }
}

/// FNV-1a, 128-bit variant (http://www.isthe.com/chongo/tech/comp/fnv/).
struct FNV1a128 {
    private static let prime: UInt128 = 0x0000000001000000000000000000013B
    private var state: UInt128 = 0x6c62272e07bb014262b821756295c58d

    mutating func add(byte: UInt8) {
        state ^= UInt128(byte)
        state = state &* Self.prime
    }

    /// Length-prefixed (4 bytes, little endian); nil as 0xFFFFFFFF.
    mutating func add(_ value: String?) {
        guard let value else {
            for _ in 0..<4 { add(byte: 0xFF) }
            return
        }
        let length = UInt32(truncatingIfNeeded: value.utf8.count)
        for shift in stride(from: 0, to: 32, by: 8) { add(byte: UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        for byte in value.utf8 { add(byte: byte) }
    }

    var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        var value = state
        for index in stride(from: 31, through: 0, by: -1) {
            out[index] = digits[Int(value & 15)]
            value >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
