import MWRASPCore
import Security
import Storage

/// Creating, listing and revoking API tokens, for the admin API and `mwrasp token`. The
/// store keeps only hashes; the registry is the in-memory copy authentication reads.
public struct TokenService: Sendable {
    let store: any Store
    let registry: TokenRegistry
    let clock: APIClock

    public init(store: any Store, registry: TokenRegistry, clock: APIClock = .system) {
        self.store = store
        self.registry = registry
        self.clock = clock
    }

    /// A new token; its plaintext exists only in the return value.
    public func create(name: String, role: Role) async throws(StoreError) -> (record: TokenRecord, secret: TokenSecret) {
        let secret = TokenSecret.generate()
        let record = try await insert(name: name, role: role, secretHash: secret.hash)
        return (record, secret)
    }

    func insert(name: String, role: Role, secretHash: String) async throws(StoreError) -> TokenRecord {
        var random = SystemRandomNumberGenerator()
        let suffix = String(random.next(), radix: 16)
        let record = TokenRecord(id: "tok_" + String(repeating: "0", count: 16 - suffix.count) + suffix, name: name, role: role,
                                 secretHash: secretHash, createdAt: clock.nowMilliseconds(), revokedAt: nil, lastUsedAt: nil)
        try await store.insertToken(record)
        registry.add(id: record.id, name: record.name, role: record.role, secretHash: record.secretHash)
        return record
    }

    public func list() async throws(StoreError) -> [TokenRecord] {
        try await store.tokens()
    }

    public func revoke(id: String) async throws(StoreError) -> Bool {
        let revoked = try await store.revokeToken(id: id, at: clock.nowMilliseconds())
        if revoked { registry.revoke(id: id) }
        return revoked
    }

    /// Reloads the registry from the store (tokens made by `mwrasp token create` while the
    /// server runs), and writes back last-use times.
    public func refresh() async throws(StoreError) {
        let lastUsed = registry.drainLastUsed()
        if !lastUsed.isEmpty { try await store.touchTokens(lastUsed) }
        let records = try await store.tokens()
        registry.replaceAll(records.map { ($0.id, $0.name, $0.role, $0.secretHash, $0.revokedAt != nil) })
    }

    public enum BootstrapError: Error, CustomStringConvertible {
        case malformedAdminToken
        case store(StoreError)

        public var description: String {
            switch self {
            case .malformedAdminToken:
                "MWRASP_ADMIN_TOKEN must be an MWRASP token: mwr_ followed by 43 base64url characters "
                    + "(for example: echo mwr_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | head -c 43))"
            case .store(let error): "token store: \(error)"
            }
        }
    }

    /// First start: with `MWRASP_ADMIN_TOKEN`, make sure that token exists as an admin token;
    /// without it and with no tokens at all, make an admin token and return it to print once.
    public func bootstrap(adminToken: String?) async throws(BootstrapError) -> TokenSecret? {
        do {
            return try await bootstrapTokens(adminToken: adminToken)
        } catch let error as BootstrapError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(.database("\(error)"))
        }
    }

    private func bootstrapTokens(adminToken: String?) async throws -> TokenSecret? {
        let existing = try await store.tokens()
        if let adminToken {
            guard let secret = TokenSecret(parsing: adminToken) else { throw BootstrapError.malformedAdminToken }
            let hash = secret.hash
            if !existing.contains(where: { $0.secretHash == hash && $0.revokedAt == nil }) {
                _ = try await insert(name: "admin (MWRASP_ADMIN_TOKEN)", role: .admin, secretHash: hash)
            }
            return nil
        }
        guard existing.isEmpty else { return nil }
        return try await create(name: "initial admin", role: .admin).secret
    }
}
