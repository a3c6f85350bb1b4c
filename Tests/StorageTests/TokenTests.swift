import MWRASPCore
import Testing
@testable import Storage

@Suite struct TokenTests {
    @Test func insertListRevokeTouch() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        let admin = TokenRecord(id: "t1", name: "admin", role: .admin, secretHash: "h1", createdAt: 1)
        let ingest = TokenRecord(id: "t2", name: "siem", role: .ingest, secretHash: "h2", createdAt: 2)
        try await store.insertToken(admin)
        try await store.insertToken(ingest)
        #expect(try await store.tokens() == [admin, ingest])
        await #expect(throws: StoreError.self) { try await store.insertToken(admin) }  // duplicate id

        #expect(try await store.revokeToken(id: "t2", at: 50))
        #expect(try await store.revokeToken(id: "t2", at: 60) == false)  // already revoked
        #expect(try await store.revokeToken(id: "nope", at: 60) == false)

        try await store.touchTokens(["t1": 100, "t2": 90, "unknown": 5])
        try await store.touchTokens(["t1": 80])  // older: ignored
        let tokens = try await store.tokens()
        #expect(tokens[0].lastUsedAt == 100 && tokens[0].revokedAt == nil)
        #expect(tokens[1].lastUsedAt == 90 && tokens[1].revokedAt == 50)
        await store.close()

        let reopened = try Sample.store(directory)
        #expect(try await reopened.tokens() == tokens)
        await reopened.close()
    }
}
