import CSystemLinux
import Glibc

/// A fixed set of event loops, each on its own thread (one per core by default).
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let threads: ThreadHandles

    public init(loopCount: Int, tickInterval: Duration = .milliseconds(250)) throws(SocketError) {
        var loops: [EventLoop] = []
        for index in 0..<max(1, loopCount) {
            loops.append(try EventLoop(index: index, tickInterval: tickInterval))
        }
        self.loops = loops
        self.threads = ThreadHandles()
    }

    /// The number of loops a server should use by default: one per online core.
    public static var defaultLoopCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Starts every loop on a thread of its own; `prepare` runs first on each loop's thread.
    public func start(prepare: @escaping @Sendable (EventLoop) -> Void = { _ in }) {
        for loop in loops {
            threads.spawn(name: "mwrasp-loop-\(loop.index)") {
                prepare(loop)
                loop.run()
            }
        }
    }

    /// Stops every loop and waits for its thread to end.
    public func stopAndJoin() {
        for loop in loops { loop.stop() }
        threads.joinAll()
    }
}

/// pthread handles; Foundation's Thread would also do, but NetIO stays Foundation-free.
final class ThreadHandles: @unchecked Sendable {
    private var handles: [pthread_t] = []
    private let lock = PThreadMutex()

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        _ = mwrasp_pthread_setname(thread, String(name.prefix(15)))
        lock.withLock { handles.append(thread) }
    }

    func joinAll() {
        let toJoin = lock.withLock { () -> [pthread_t] in
            let all = handles
            handles.removeAll()
            return all
        }
        for thread in toJoin { pthread_join(thread, nil) }
    }
}

/// A plain pthread mutex for the rare cross-thread bookkeeping that is not on a hot path.
final class PThreadMutex: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
