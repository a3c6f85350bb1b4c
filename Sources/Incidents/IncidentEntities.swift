import MWRASPCore

/// Everything an incident touches, as sets (kept sorted so snapshots compare and diff cleanly):
/// the affected assets of DESIGN.md §7. Values as the senders spelled them.
public struct IncidentEntities: Sendable, Equatable, Codable {
    public var sourceIPs: [String] = []
    public var destinationIPs: [String] = []
    public var users: [String] = []
    public var hosts: [String] = []

    public init() {}

    public static let maxListed = 1000

    mutating func insert(_ entities: Entities) {
        Self.insert(entities.sourceIP, into: &sourceIPs)
        Self.insert(entities.destinationIP, into: &destinationIPs)
        Self.insert(entities.userName, into: &users)
        Self.insert(entities.hostName, into: &hosts)
    }

    private static func insert(_ value: String?, into list: inout [String]) {
        guard let value, !value.isEmpty else { return }
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < value { low = mid + 1 } else { high = mid }
        }
        // At most `maxListed` of each kind: a storm from a /16 must not grow the record without end.
        if low == list.count || list[low] != value, list.count < Self.maxListed { list.insert(value, at: low) }
    }

    enum CodingKeys: String, CodingKey {
        case sourceIPs = "source_ips", destinationIPs = "destination_ips", users, hosts
    }
}
