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
        self.resolved = fields.compactMap(Field.init(rawValue:))
    }

    /// `fields`, resolved once: the fingerprint runs for every alert ingested.
    private let resolved: [Field]

    private enum Field: String {
        case source, kind, dataset, severity, title
        case sourceIP = "source.ip", destinationIP = "destination.ip", userName = "user.name", hostName = "host.name"
        case externalID = "external_id"
    }

    public func fingerprint(_ event: Event) -> String {
        var hash = FNV1a128()
        for field in resolved {
            switch field {
            case .source: hash.add(event.source.rawValue)
            case .kind: hash.add(event.kind.rawValue)
            case .dataset: hash.add(event.dataset)
            case .severity: hash.add(event.severity?.name)
            case .title: hash.add(event.title)
            case .sourceIP: hash.add(event.sourceIP)
            case .destinationIP: hash.add(event.destinationIP)
            case .userName: hash.add(event.userName)
            case .hostName: hash.add(event.hostName)
            case .externalID: hash.add(event.externalID)
            }
        }
        return hash.hex
    }
}

/// FNV-1a, 128-bit variant (http://www.isthe.com/chongo/tech/comp/fnv/).
struct FNV1a128 {
    private var state: UInt128 = 0x6c62272e07bb014262b821756295c58d

    mutating func add(byte: UInt8) {
        state ^= UInt128(byte)
        // × the FNV-128 prime 2^88 + 0x13B: a shift and a small multiply instead of a full
        // 128-bit product (the same value modulo 2^128).
        state = (state &<< 88) &+ (state &* 0x13B)
    }

    /// Length-prefixed (4 bytes, little endian); nil as 0xFFFFFFFF.
    mutating func add(_ value: String?) {
        guard let value else {
            for _ in 0..<4 { add(byte: 0xFF) }
            return
        }
        let length = UInt32(truncatingIfNeeded: value.utf8.count)
        for shift in stride(from: 0, to: 32, by: 8) { add(byte: UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        var text = value
        text.withUTF8 { bytes in
            for byte in bytes { add(byte: byte) }
        }
    }

    var hex: String {
        String(unsafeUninitializedCapacity: 32) { out in
            var value = state
            for index in stride(from: 31, through: 0, by: -1) {
                let digit = UInt8(truncatingIfNeeded: value & 15)
                out[index] = digit < 10 ? 0x30 + digit : 0x57 + digit
                value >>= 4
            }
            return 32
        }
    }
}
