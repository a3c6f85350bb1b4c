/// Runs blocking test code on a dedicated thread and awaits its result.
///
/// Why: Swift Testing runs tests on the cooperative pool, which has one thread per core (two
/// on the build machines). A test that blocks a pool thread in poll() while the server under
/// test needs the pool to answer can stall until its timeout; a dedicated thread cannot.
/// To run something alongside (a fake server), start a `BlockingThread` first.
public enum BlockingIO {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingThread(name: "BlockingIO", body).value
    }
}
