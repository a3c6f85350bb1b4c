import MWRASPCore

/// An API token as stored: only the hash of its secret is kept (DESIGN.md §9).
public struct TokenRecord: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var role: Role
    public var secretHash: String
    public var createdAt: Int64
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?

    public init(id: String, name: String, role: Role, secretHash: String, createdAt: Int64,
                revokedAt: Int64? = nil, lastUsedAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }
}
