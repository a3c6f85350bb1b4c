import GRDB
import MWRASPCore

/// Maps `TokenRecord` to the `tokens` table and back.
enum TokenRow {
    static let columns = "id, name, role, secret_hash, created_at, revoked_at, last_used_at"

    static func arguments(_ token: TokenRecord) -> StatementArguments {
        StatementArguments([
            token.id, token.name, token.role.rawValue, token.secretHash, token.createdAt, token.revokedAt,
            token.lastUsedAt,
        ] as [(any DatabaseValueConvertible)?])
    }

    static func decode(_ row: Row) throws(StoreError) -> TokenRecord {
        let roleText: String = row[2]
        guard let role = Role(rawValue: roleText) else { throw .database("corrupt token role \(roleText)") }
        return TokenRecord(
            id: row[0], name: row[1], role: role, secretHash: row[3], createdAt: row[4],
            revokedAt: row[5], lastUsedAt: row[6])
    }
}
