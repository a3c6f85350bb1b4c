import Foundation
import Synchronization

/// Blocking test code running on its own thread, started at once; await `value` for its
/// result.
///
/// Why not a Task: Swift Testing runs tests on the cooperative pool, which has one thread per
/// core (two on the build machines). A fake server started as a child task may not get a pool
/// thread before the client's timeout if other tests are busy on both; a thread starts now.
public final class BlockingThread<Value: Sendable>: Sendable {
    private enum State {
        case running
        case awaited(CheckedContinuation<Value, any Error>)
        case finished(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.running)

    public init(name: String = "BlockingThread", _ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            finish(Result { try body() })
        }
        thread.name = name
        thread.start()
    }

    /// The body's result (or error), once it finished. Await it once.
    public var value: Value {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let result = state.withLock { state -> Result<Value, any Error>? in
                    switch state {
                    case .finished(let result):
                        return result
                    case .running:
                        state = .awaited(continuation)
                        return nil
                    case .awaited:
                        preconditionFailure("BlockingThread.value awaited concurrently")
                    }
                }
                if let result { continuation.resume(with: result) }
            }
        }
    }

    private func finish(_ result: Result<Value, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            defer { state = .finished(result) }
            if case .awaited(let continuation) = state { return continuation }
            return nil
        }
        waiter?.resume(with: result)
    }
}
