import MWRASPCore

/// The four entities correlation compares (seed 6.1: source_ip, destination_ip, user, host),
/// spelled with their ECS names as the API and the design document do.
public enum EntityKind: String, Sendable, Codable, CaseIterable, Comparable {
    case sourceIP = "source.ip"
    case destinationIP = "destination.ip"
    case userName = "user.name"
    case hostName = "host.name"

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A set of entity kinds as bits, for the correlation hot path (no allocation).
public struct SharedKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public init(_ kind: EntityKind) {
        rawValue = switch kind {
        case .sourceIP: 1
        case .destinationIP: 2
        case .userName: 4
        case .hostName: 8
        }
    }

    public static let all = SharedKinds(rawValue: 0b1111)

    public init(_ kinds: [EntityKind]) {
        var bits: UInt8 = 0
        for kind in kinds { bits |= SharedKinds(kind).rawValue }
        rawValue = bits
    }

    public func contains(_ kind: EntityKind) -> Bool { contains(SharedKinds(kind)) }

    /// The kinds in `EntityKind.allCases` order (which is also their sort order).
    public var kinds: [EntityKind] { EntityKind.allCases.filter { contains($0) } }
}

extension Entities {
    /// The value correlation compares, normalized; nil when absent or meaningless.
    ///
    /// Why normalize: host and user names are case-insensitive in DNS and in the directories
    /// SOCs use, IPv6 text is case-insensitive. Why drop some values: placeholders (`-`,
    /// `unknown`, `n/a`...) and loopback or unspecified addresses appear in unrelated alerts from
    /// every machine, so two alerts "sharing" them share nothing.
    public func correlationKey(_ kind: EntityKind) -> String? {
        let raw: String? = switch kind {
        case .sourceIP: sourceIP
        case .destinationIP: destinationIP
        case .userName: userName
        case .hostName: hostName
        }
        guard let raw else { return nil }
        let value = Self.normalized(raw)
        if value.isEmpty || (value.utf8.count <= 9 && Self.placeholders.contains(value)) { return nil }
        if kind == .sourceIP || kind == .destinationIP,
           (value.utf8.count <= 15 && Self.meaninglessAddresses.contains(value)) || value.hasPrefix("127.") {
            return nil
        }
        return value
    }

    /// Trimmed and lowercased. Most values are already plain lowercase ASCII without spaces
    /// at the ends (IPs, host and user names): those are returned as they are, without
    /// building two new strings; correlation calls this for every entity of every finding.
    static func normalized(_ raw: String) -> String {
        let utf8 = raw.utf8
        guard let first = utf8.first, let last = utf8.last else { return raw }
        var plain = first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80
        if plain {
            for byte in utf8 where (byte >= 0x41 && byte <= 0x5A) || byte >= 0x80 {
                plain = false
                break
            }
        }
        return plain ? raw : raw.trimmingSpaces().lowercased()
    }

    private static let placeholders: Set<String> = ["-", "--", "unknown", "n/a", "na", "none", "null", "nil", "(null)", "undefined", "?"]
    private static let meaninglessAddresses: Set<String> = ["0.0.0.0", "::", "::1", "255.255.255.255"]
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
