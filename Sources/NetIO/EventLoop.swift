import CSystemLinux
import Glibc
import Synchronization

/// Something registered with an event loop for readiness events on one descriptor.
/// Handlers are confined to their loop's thread.
public protocol EventHandler: AnyObject {
    func handleEvents(_ events: EventLoop.Events, on loop: EventLoop)
}

/// One epoll instance driven by one thread. Descriptors, handlers and tick callbacks belong to
/// the loop's thread; `execute` is the only way in from other threads (an eventfd wakes
/// `epoll_wait`, as FlyingFox's and NIO's loops do).
public final class EventLoop: @unchecked Sendable {
    /// epoll event bits. Spelled numerically: glibc declares them in an enum whose high
    /// values (EPOLLET) do not import cleanly.
    public struct Events: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let readable = Events(rawValue: 0x001)       // EPOLLIN
        public static let writable = Events(rawValue: 0x004)       // EPOLLOUT
        public static let error = Events(rawValue: 0x008)          // EPOLLERR
        public static let hangup = Events(rawValue: 0x010)         // EPOLLHUP
        public static let readHangup = Events(rawValue: 0x2000)    // EPOLLRDHUP
        public static let exclusive = Events(rawValue: 1 << 28)    // EPOLLEXCLUSIVE
        public static let edgeTriggered = Events(rawValue: 1 << 31) // EPOLLET
    }

    public let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private var handlers: [(any EventHandler)?] = []
    private let pendingWork = Mutex<[@Sendable () -> Void]>([])
    private let wakeRequested = Atomic<Bool>(false)
    private let running = Atomic<Bool>(true)
    private var tickHandlers: [() -> Void] = []
    private let tickIntervalNanos: UInt64
    private var nextTick: UInt64 = 0
    /// The loop thread's pthread_t (pthread_self reads a register; gettid is a system call).
    private let loopThread = Atomic<UInt>(0)

    public init(index: Int, tickInterval: Duration = .milliseconds(250)) throws(SocketError) {
        self.index = index
        let (seconds, attoseconds) = tickInterval.components
        self.tickIntervalNanos = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError(call: "epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let error = SocketError(call: "eventfd")
            Glibc.close(epollFD)
            throw error
        }
        var event = epoll_event()
        event.events = Events.readable.rawValue
        event.data.fd = wakeFD
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
            let error = SocketError(call: "epoll_ctl(eventfd)")
            Glibc.close(wakeFD)
            Glibc.close(epollFD)
            throw error
        }
    }

    deinit {
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
    }

    /// True on the loop's own thread.
    public var inEventLoop: Bool { loopThread.load(ordering: .relaxed) == UInt(pthread_self()) }

    // MARK: Registration (loop thread only)

    public func register(_ fd: Int32, for events: Events, handler: any EventHandler) throws(SocketError) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.fd = fd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw SocketError(call: "epoll_ctl(ADD)")
        }
        let slot = Int(fd)
        if slot >= handlers.count {
            handlers.append(contentsOf: repeatElement(nil, count: max(slot + 1 - handlers.count, handlers.count)))
        }
        handlers[slot] = handler
    }

    public func modify(_ fd: Int32, for events: Events) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.fd = fd
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Removes the descriptor; call before closing it so a reused fd number starts clean.
    public func deregister(_ fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        let slot = Int(fd)
        if slot < handlers.count { handlers[slot] = nil }
    }

    /// Runs `handler` about every tick interval on the loop thread (timeouts, clock caches).
    public func addTickHandler(_ handler: @escaping () -> Void) {
        tickHandlers.append(handler)
    }

    // MARK: Cross-thread entry

    /// Queues work for the loop thread and wakes it. Safe from any thread. Work queued on the
    /// loop thread itself runs at the end of the current iteration, without a wake-up.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        pendingWork.withLock { $0.append(work) }
        if inEventLoop { return }
        if !wakeRequested.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    /// Asks `run()` to return after the current iteration. Safe from any thread.
    public func stop() {
        running.store(false, ordering: .releasing)
        execute {}
    }

    // MARK: The loop

    /// Runs until `stop()`. Call on the thread that owns this loop.
    public func run() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        let capacity: Int32 = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(capacity))
        defer { events.deallocate() }
        nextTick = Self.monotonicNanos() &+ tickIntervalNanos
        while running.load(ordering: .acquiring) {
            let now = Self.monotonicNanos()
            // Work the loop queued for itself while running work does not wake it: poll instead.
            let queuedHere = pendingWork.withLock { !$0.isEmpty }
            let timeoutMillis = now >= nextTick || queuedHere ? 0 : Int32(min((nextTick - now) / 1_000_000 + 1, 1000))
            let count = epoll_wait(epollFD, events, capacity, timeoutMillis)
            if count < 0 && errno != EINTR { break }
            var index = 0
            while index < Int(count) {
                let event = events[index]
                index += 1
                let fd = event.data.fd
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = Glibc.read(wakeFD, &value, 8)
                    wakeRequested.store(false, ordering: .releasing)
                    continue
                }
                if Int(fd) < handlers.count, let handler = handlers[Int(fd)] {
                    handler.handleEvents(Events(rawValue: event.events), on: self)
                }
            }
            runPendingWork()
            if Self.monotonicNanos() >= nextTick {
                nextTick = Self.monotonicNanos() &+ tickIntervalNanos
                for handler in tickHandlers { handler() }
            }
        }
        runPendingWork()
    }

    private func runPendingWork() {
        let work = pendingWork.withLock { pending -> [@Sendable () -> Void] in
            if pending.isEmpty { return [] }
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        for item in work { item() }
    }

    /// CLOCK_MONOTONIC in nanoseconds (vDSO, no system call).
    @inline(__always)
    public static func monotonicNanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
