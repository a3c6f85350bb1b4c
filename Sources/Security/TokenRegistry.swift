import Crypto
import MWRASPCore
import Synchronization

/// Who an authenticated request acts as.
public struct Principal: Sendable, Equatable {
    public var tokenID: String
    public var name: String
    public var role: Role

    public init(tokenID: String, name: String, role: Role) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
    }
}

/// In-memory view of the token table for authentication on the hot path (no database round
/// trip per request). The API loads it from the store at start and updates it on create/revoke.
///
/// One `Mutex` guards everything: the critical section is a dictionary probe plus one write,
/// far shorter than the SHA-256 done before taking the lock, so contention stays negligible.
public final class TokenRegistry: Sendable {
    /// A SHA-256 digest as four words: hashes and compares without allocating a String, so the
    /// hot path never builds the hex form.
    struct DigestKey: Hashable, Sendable {
        var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

        init(_ bytes: UnsafeRawBufferPointer) {
            precondition(bytes.count == 32)
            w0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            w1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            w2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            w3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        }

        /// From the stored lowercase hex; nil unless it is exactly 32 bytes of hex.
        init?(hex: String) {
            guard let bytes = Bytes.fromHex(hex), bytes.count == 32 else { return nil }
            self = bytes.withUnsafeBytes { DigestKey($0) }
        }
    }

    private struct State {
        var byHash: [DigestKey: Principal] = [:]
        var hashByID: [String: DigestKey] = [:]
        /// Ids revoked while this registry lived. A late `add` for one of them (a create event
        /// racing a revoke) must not bring the token back.
        var revokedIDs: Set<String> = []
        var lastUsed: [String: Int64] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Replaces the whole table (at start, from the store). Revoked rows are remembered so they
    /// cannot be re-added, and never authenticate. Pending last-use times are kept: they are
    /// still true and still owed to the store.
    public func replaceAll(_ tokens: [(id: String, name: String, role: Role, secretHash: String, revoked: Bool)]) {
        var fresh = State()
        for token in tokens {
            if token.revoked {
                fresh.revokedIDs.insert(token.id)
            } else if let key = DigestKey(hex: token.secretHash) {
                fresh.byHash[key] = Principal(tokenID: token.id, name: token.name, role: token.role)
                fresh.hashByID[token.id] = key
            }
            // A malformed hash could never match any token; it is skipped rather than trapping.
        }
        state.withLock { current in
            fresh.lastUsed = current.lastUsed
            current = fresh
        }
    }

    /// Adds (or replaces) a token. Returns false, and changes nothing, when `secretHash` is not
    /// 64 hex characters or the id was revoked.
    @discardableResult
    public func add(id: String, name: String, role: Role, secretHash: String) -> Bool {
        guard let key = DigestKey(hex: secretHash) else { return false }
        let principal = Principal(tokenID: id, name: name, role: role)
        return state.withLock { state in
            guard !state.revokedIDs.contains(id) else { return false }
            if let old = state.hashByID[id] { state.byHash[old] = nil }
            state.byHash[key] = principal
            state.hashByID[id] = key
            return true
        }
    }

    /// Takes effect for the very next request: later `authenticate` calls see the removal.
    public func revoke(id: String) {
        state.withLock { state in
            state.revokedIDs.insert(id)
            if let key = state.hashByID.removeValue(forKey: id) { state.byHash[key] = nil }
        }
    }

    /// Looks up by hash (dictionary), constant work regardless of how many tokens exist; records
    /// last use in memory. Text that is not a well-formed token is refused before hashing.
    ///
    /// The probe is keyed by SHA-256 of the secret, so its timing can depend only on the hash,
    /// which an attacker cannot steer towards a stored one; no secret is compared byte by byte.
    public func authenticate(_ plaintext: String, now: Int64) -> Principal? {
        guard TokenSecret.isWellFormed(plaintext) else { return nil }
        let key = TokenSecret.digest(of: plaintext).withUnsafeBytes { DigestKey($0) }
        return state.withLock { state in
            guard let principal = state.byHash[key] else { return nil }
            // In place through `default:` (one hash of the id). Keep the latest time: callers on
            // different threads may pass slightly older values.
            Self.raise(&state.lastUsed[principal.tokenID, default: now], to: now)
            return principal
        }
    }

    private static func raise(_ value: inout Int64, to candidate: Int64) {
        if candidate > value { value = candidate }
    }

    /// Last-use times recorded since the previous call, for a periodic batch write to the store.
    public func drainLastUsed() -> [String: Int64] {
        state.withLock { state in
            let drained = state.lastUsed
            state.lastUsed = [:]
            return drained
        }
    }

    /// True when no active (unrevoked) token exists, e.g. to allow first-run bootstrap.
    public var isEmpty: Bool {
        state.withLock { $0.byHash.isEmpty }
    }

    /// Number of active tokens.
    public var count: Int {
        state.withLock { $0.byHash.count }
    }
}
