import Foundation
import GRDB

/// The `idempotency` table: the first answer given under each key, recorded in the same
/// transaction as the events it acknowledged, so a replay can never disagree with what is stored.
enum IdempotencyLedger {
    /// What is recorded when a caller gave a key but no answer: a bare 202.
    static let defaultAnswer = StoredAnswer(status: 202, contentType: "application/json", body: [])

    static func answer(forKey key: String, db: Database) throws -> StoredAnswer? {
        let statement = try db.cachedStatement(sql: "SELECT status, content_type, body FROM idempotency WHERE key = ?")
        guard let row = try Row.fetchOne(statement, arguments: [key]) else { return nil }
        let body: Data = row[2]
        return StoredAnswer(status: row[0], contentType: row[1], body: [UInt8](body))
    }

    static func record(_ answer: StoredAnswer, forKey key: String, at now: Int64, db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO idempotency (key, status, content_type, body, created_at) VALUES (?, ?, ?, ?, ?)")
        try statement.execute(arguments: [key, answer.status, answer.contentType, Data(answer.body), now])
    }

    static func purge(olderThan cutoff: Int64, db: Database) throws {
        let statement = try db.cachedStatement(sql: "DELETE FROM idempotency WHERE created_at < ?")
        try statement.execute(arguments: [cutoff])
    }
}
