import MWRASPCore
import Testing
@testable import Security

@Suite struct TokenRegistryTests {
    let admin = TokenSecret.generate()
    let ingest = TokenSecret.generate()

    func loaded() -> TokenRegistry {
        let registry = TokenRegistry()
        registry.replaceAll([
            (id: "tok_admin", name: "ops", role: .admin, secretHash: admin.hash, revoked: false),
            (id: "tok_ingest", name: "edr", role: .ingest, secretHash: ingest.hash, revoked: false),
        ])
        return registry
    }

    @Test func authenticatesKnownTokens() {
        let registry = loaded()
        #expect(registry.authenticate(admin.plaintext, now: 10) == Principal(tokenID: "tok_admin", name: "ops", role: .admin))
        #expect(registry.authenticate(ingest.plaintext, now: 10)?.role == .ingest)
        #expect(!registry.isEmpty)
        #expect(registry.count == 2)
    }

    @Test func emptyRegistry() {
        let registry = TokenRegistry()
        #expect(registry.isEmpty)
        #expect(registry.authenticate(admin.plaintext, now: 1) == nil)
    }

    @Test func unknownAndMalformedTokensFail() {
        let registry = loaded()
        #expect(registry.authenticate(TokenSecret.generate().plaintext, now: 1) == nil)
        for junk in ["", "mwr_", "Bearer " + admin.plaintext, admin.plaintext + " ", admin.hash,
                     String(admin.plaintext.dropLast()), admin.plaintext.uppercased()] {
            #expect(registry.authenticate(junk, now: 1) == nil)
        }
        #expect(registry.drainLastUsed().isEmpty)
    }

    @Test func revokeTakesEffectImmediatelyAndSticks() {
        let registry = loaded()
        #expect(registry.authenticate(ingest.plaintext, now: 1) != nil)
        registry.revoke(id: "tok_ingest")
        #expect(registry.authenticate(ingest.plaintext, now: 2) == nil)
        #expect(registry.authenticate(admin.plaintext, now: 2) != nil)
        // A late create event for the revoked id does not resurrect it.
        #expect(!registry.add(id: "tok_ingest", name: "edr", role: .ingest, secretHash: ingest.hash))
        #expect(registry.authenticate(ingest.plaintext, now: 3) == nil)
        registry.revoke(id: "tok_admin")
        #expect(registry.isEmpty)
        registry.revoke(id: "never-existed")  // harmless
    }

    @Test func replaceAllHonoursRevokedRows() {
        let registry = TokenRegistry()
        registry.replaceAll([
            (id: "a", name: "a", role: .responder, secretHash: admin.hash, revoked: true),
            (id: "b", name: "b", role: .ticketing, secretHash: ingest.hash, revoked: false),
            (id: "c", name: "c", role: .admin, secretHash: "not-hex", revoked: false),
        ])
        #expect(registry.authenticate(admin.plaintext, now: 1) == nil)
        #expect(registry.authenticate(ingest.plaintext, now: 1)?.tokenID == "b")
        #expect(registry.count == 1)
        #expect(!registry.add(id: "a", name: "a", role: .responder, secretHash: admin.hash))
    }

    @Test func addCreatesAndReplaces() {
        let registry = TokenRegistry()
        let secret = TokenSecret.generate()
        #expect(registry.add(id: "t1", name: "soc", role: .ticketing, secretHash: secret.hash))
        #expect(registry.authenticate(secret.plaintext, now: 1)?.role == .ticketing)
        // Uppercase hex from a store is accepted too.
        let rotated = TokenSecret.generate()
        #expect(registry.add(id: "t1", name: "soc", role: .responder, secretHash: rotated.hash.uppercased()))
        #expect(registry.authenticate(secret.plaintext, now: 2) == nil)  // the old secret is gone
        #expect(registry.authenticate(rotated.plaintext, now: 2)?.role == .responder)
        #expect(!registry.add(id: "t2", name: "x", role: .admin, secretHash: String(secret.hash.dropLast(2))))
        #expect(registry.count == 1)
    }

    @Test func drainsLastUsedOnce() {
        let registry = loaded()
        _ = registry.authenticate(admin.plaintext, now: 100)
        _ = registry.authenticate(admin.plaintext, now: 105)
        _ = registry.authenticate(admin.plaintext, now: 103)  // an older clock reading loses
        _ = registry.authenticate(ingest.plaintext, now: 101)
        #expect(registry.drainLastUsed() == ["tok_admin": 105, "tok_ingest": 101])
        #expect(registry.drainLastUsed().isEmpty)
        _ = registry.authenticate(ingest.plaintext, now: 200)
        // Reloading the table keeps what is still owed to the store.
        registry.replaceAll([])
        #expect(registry.drainLastUsed() == ["tok_ingest": 200])
    }
}

@Suite struct AuthorizationTests {
    @Test func adminPassesEverywhere() {
        for required in [Authorization.ingestion, Authorization.read, Authorization.cases, Authorization.administration, []] {
            #expect(Authorization.allows(.admin, required))
        }
    }

    @Test func rolesMatchTheDesign() {
        #expect(Authorization.allows(.ingest, Authorization.ingestion))
        #expect(!Authorization.allows(.ingest, Authorization.read))
        #expect(!Authorization.allows(.ingest, Authorization.cases))

        #expect(Authorization.allows(.responder, Authorization.read))
        #expect(Authorization.allows(.responder, Authorization.respond))
        #expect(Authorization.allows(.responder, Authorization.cases))
        #expect(!Authorization.allows(.responder, Authorization.ingestion))

        #expect(Authorization.allows(.ticketing, Authorization.cases))
        #expect(!Authorization.allows(.ticketing, Authorization.read))
        #expect(!Authorization.allows(.ticketing, Authorization.respond))

        for role in Role.allCases where role != .admin {
            #expect(!Authorization.allows(role, Authorization.administration))
        }
    }
}
