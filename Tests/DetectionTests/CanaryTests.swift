import Detection
import Foundation
import MWRASPCore
import Testing

@Suite struct CanaryTests {
    static let configuration = CanaryConfiguration(baseURL: "https://mwrasp.example.com/", domain: "cnry.example.net")

    static func event(_ members: String) throws -> DetectionInput {
        try CatalogFixtures.input(#"{"event":{"kind":"event","dataset":"proxy.log"},"source":{"ip":"198.51.100.7"},"# + members + "}")
    }

    @Test func mintsEachKind() {
        let r = CanaryRegistry(configuration: Self.configuration)
        let url = r.mint(.url, label: "wiki link", createdAt: CatalogFixtures.t0)
        let key = r.mint(.apiKey, label: "ci secrets", createdAt: CatalogFixtures.t0)
        let cred = r.mint(.credential, label: "db admin", createdAt: CatalogFixtures.t0)
        let host = r.mint(.hostname, label: "vpn", createdAt: CatalogFixtures.t0)
        #expect(url.value == "https://mwrasp.example.com/c/\(url.token)")
        #expect(key.value == "ak_live_\(key.token)")
        #expect(cred.value == "svc-\(cred.token)")
        #expect(cred.secret == "Pw-\(cred.secondaryToken ?? "")")
        #expect(host.value == "\(host.token).cnry.example.net")
        for t in [url, key, cred, host] {
            #expect(CanaryTokenFormat.isWellFormed(t.token))
            #expect(t.token.count == 30)
            #expect(t.hitCount == 0)
            #expect(t.id.hasPrefix("cnr_"))
            #expect(r.lookup(token: t.token) == t)
        }
        #expect(r.lookup(token: cred.secondaryToken ?? "") == cred)
        #expect(Set([url, key, cred, host].map(\.token)).count == 4)
        #expect(r.count == 4)
    }

    @Test func tokensAreRandomAndUseTheWholeAlphabet() {
        var seen = Set<String>()
        var chars = Set<Character>()
        for _ in 0..<2000 {
            let t = CanaryTokenFormat.mint()
            seen.insert(t)
            chars.formUnion(t.dropFirst(4))
        }
        #expect(seen.count == 2000)
        #expect(chars == Set("abcdefghijklmnopqrstuvwxyz234567"))
    }

    @Test func urlHitIsACriticalFinding() throws {
        let r = CanaryRegistry(configuration: Self.configuration)
        let url = r.mint(.url, label: "wiki link", createdAt: CatalogFixtures.t0)
        let f = try #require(r.recordHit(token: url.token, remoteAddress: "203.0.113.5", userAgent: "curl/8.5", at: CatalogFixtures.t0 + 1000))
        #expect(f.detectorID == "CANARY")
        #expect(f.type == .canary)
        #expect(f.severity == .critical)
        #expect(f.confidence >= 0.99)
        #expect(f.entities.sourceIP == "203.0.113.5")
        #expect(CatalogFixtures.indicator(f, "canary_id") == url.id)
        #expect(CatalogFixtures.indicator(f, "channel") == "http")
        #expect(CatalogFixtures.indicator(f, "user_agent") == "curl/8.5")
        let after = try #require(r.record(id: url.id))
        #expect(after.hitCount == 1)
        #expect(after.recentHits == [CanaryHit(channel: "http", at: CatalogFixtures.t0 + 1000, remoteAddress: "203.0.113.5", userAgent: "curl/8.5")])
        // Unknown and near-miss tokens are not hits.
        #expect(r.recordHit(token: CanaryTokenFormat.mint(), remoteAddress: nil, userAgent: nil, at: 0) == nil)
        #expect(r.recordHit(token: "nope", remoteAddress: nil, userAgent: nil, at: 0) == nil)
    }

    @Test func tokenSeenInAnEvent() throws {
        let r = CanaryRegistry(configuration: Self.configuration)
        for i in 0..<1000 { r.mint(.url, label: "filler \(i)", createdAt: CatalogFixtures.t0) }
        let key = r.mint(.apiKey, label: "ci secrets", createdAt: CatalogFixtures.t0)
        let host = r.mint(.hostname, label: "vpn", createdAt: CatalogFixtures.t0)
        let cred = r.mint(.credential, label: "db admin", createdAt: CatalogFixtures.t0)
        let d = CanaryDetector(registry: r)

        let f = try #require(d.evaluate(try Self.event(#""message":"GET /v1/charges Authorization: Bearer \#(key.value)""#)).first)
        #expect(f.type == .canary)
        #expect(f.severity == .critical)
        #expect(CatalogFixtures.indicator(f, "canary_id") == key.id)
        #expect(CatalogFixtures.indicator(f, "channel") == "event")
        #expect(f.entities.sourceIP == "198.51.100.7")
        #expect(f.eventIDs.count == 1)

        // DNS logs may upper-case the name; the token repeated in one event is one finding.
        let dns = try Self.event(#""dns":{"question":{"name":"\#(host.value.uppercased())"}},"message":"\#(host.value)""#)
        let hits = d.evaluate(dns)
        #expect(hits.count == 1)
        #expect(CatalogFixtures.indicator(hits[0], "canary_id") == host.id)

        // A login with the credential's username, or its password in a leaked paste.
        #expect(d.evaluate(try Self.event(#""user":{"name":"\#(cred.value)"},"event":{"action":"logon-failed"}"#)).count == 1)
        #expect(d.evaluate(try Self.event(#""message":"dump: \#(cred.secret ?? "")""#)).count == 1)
        #expect(r.record(id: cred.id)?.hitCount == 2)
    }

    @Test func nearMissesAreNotHits() throws {
        let r = CanaryRegistry(configuration: Self.configuration)
        let key = r.mint(.apiKey, label: "ci", createdAt: CatalogFixtures.t0)
        let d = CanaryDetector(registry: r)
        // Well-formed but never minted.
        #expect(d.evaluate(try Self.event(#""message":"ak_live_\#(CanaryTokenFormat.mint())""#)).isEmpty)
        // One character changed, one missing, the prefix alone, an out-of-alphabet character.
        var chars = Array(key.token)
        chars[10] = chars[10] == "a" ? "b" : "a"
        let changed = String(chars)
        let truncated = String(key.token.dropLast())
        let badChar = String(key.token.dropLast()) + "1"
        for text in [changed, truncated, "mwct", "mwct mwct", badChar] {
            #expect(d.evaluate(try Self.event(#""message":"\#(text)""#)).isEmpty, "\(text)")
        }
        #expect(r.record(id: key.id)?.hitCount == 0)
    }

    @Test func recordsAreCodableAndRestorable() throws {
        let r = CanaryRegistry(configuration: Self.configuration)
        let url = r.mint(.url, label: "wiki", createdAt: CatalogFixtures.t0)
        let cred = r.mint(.credential, label: "db", createdAt: CatalogFixtures.t0 + 1, username: "backup_admin")
        _ = r.recordHit(token: url.token, remoteAddress: "203.0.113.5", userAgent: nil, at: CatalogFixtures.t0 + 5)
        let data = try JSONEncoder().encode(r.records())
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""hit_count":1"#))
        #expect(json.contains(#""created_at":"#))

        let restored = CanaryRegistry(configuration: Self.configuration, records: try JSONDecoder().decode([CanaryToken].self, from: data))
        #expect(restored.records() == r.records())
        #expect(restored.lookup(token: url.token)?.hitCount == 1)
        #expect(restored.lookup(token: cred.secondaryToken ?? "")?.value == "backup_admin")
        #expect(restored.recordHit(token: url.token, remoteAddress: nil, userAgent: nil, at: CatalogFixtures.t0 + 9) != nil)
        #expect(restored.record(id: url.id)?.hitCount == 2)

        #expect(restored.revoke(id: url.id))
        #expect(restored.lookup(token: url.token) == nil)
        #expect(!restored.revoke(id: url.id))
    }

    @Test func recentHitsAreBounded() {
        let r = CanaryRegistry(configuration: Self.configuration)
        let url = r.mint(.url, label: "wiki", createdAt: 0)
        for i in 0..<50 { _ = r.recordHit(token: url.token, remoteAddress: nil, userAgent: nil, at: Int64(i)) }
        let after = r.record(id: url.id)
        #expect(after?.hitCount == 50)
        #expect(after?.recentHits.count == CanaryRegistry.recentHitsKept)
        #expect(after?.recentHits.last?.at == 49)
    }
}
