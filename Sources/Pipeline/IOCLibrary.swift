import Dispatch
import Foundation
import Detection
import Storage
import Synchronization

/// The IOC lists responders manage over the API, kept in the store (kind `ioc_list`) and
/// compiled into one `IOCMatcher` for the detector. A change recompiles off the request
/// threads and swaps the matcher whole.
public final class IOCLibrary: Sendable {
    public static let recordKind = "ioc_list"

    private let store: any DetectionStore
    private let lists: Mutex<[String: IOCList]>
    /// Serializes changes so two uploads cannot swap matchers out of order.
    private let compileQueue = DispatchQueue(label: "mwrasp.ioc.compile")
    private let apply: @Sendable (IOCMatcher) -> Void

    init(store: any DetectionStore, lists: [IOCList], apply: @escaping @Sendable (IOCMatcher) -> Void) {
        self.store = store
        self.lists = Mutex(Dictionary(uniqueKeysWithValues: lists.map { ($0.id, $0) }))
        self.apply = apply
    }

    static func load(from store: any DetectionStore) async throws -> [IOCList] {
        let decoder = JSONDecoder()
        return try await store.records(kind: recordKind).map { try decoder.decode(IOCList.self, from: Data($0.document)) }
    }

    public func all() -> [IOCList] {
        lists.withLock { Array($0.values) }.sorted { $0.id < $1.id }
    }

    public func list(id: String) -> IOCList? {
        lists.withLock { $0[id] }
    }

    /// Stores `list` (new or replacing one with its id) and puts it in force; returns the
    /// entries the matcher refused, with why.
    public func put(_ list: IOCList, createdAt: Int64) async throws -> [IOCRejectedEntry] {
        try await store.putRecord(ManagedRecord(kind: Self.recordKind, id: list.id, createdAt: createdAt,
                                                document: IncidentService.encode(list)))
        lists.withLock { $0[list.id] = list }
        return await recompile().rejected.filter { $0.listID == list.id }
    }

    public func delete(id: String) async throws -> Bool {
        guard try await store.deleteRecord(kind: Self.recordKind, id: id) else { return false }
        lists.withLock { $0[id] = nil }
        _ = await recompile()
        return true
    }

    private func recompile() async -> IOCMatcher {
        await withCheckedContinuation { continuation in
            compileQueue.async {
                let matcher = IOCMatcher(lists: self.all())
                self.apply(matcher)
                continuation.resume(returning: matcher)
            }
        }
    }
}
