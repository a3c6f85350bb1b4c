import Dispatch
import Glibc
import HTTPCore
import Logging
import NetIO
import Synchronization

/// The HTTP/1.1 server: one epoll loop per core, listeners shared by all loops, graceful
/// shutdown, TLS certificate reload. Start it, then call `shutdown()` once.
public final class HTTPServer: Sendable {
    public let configuration: Configuration
    private let core: ServerCore
    private let group: EventLoopGroup
    private let runtime = Mutex<Runtime>(Runtime())

    private struct Runtime: @unchecked Sendable {
        var listenFDs: [Int32] = []
        var tlsStores: [TLSContextStore] = []
        var loopStates: [LoopState] = []
        var started = false
        var stopped = false
    }

    public init(configuration: Configuration, responder: Responder, logger: Logger) throws {
        self.configuration = configuration
        self.core = ServerCore(configuration: configuration, responder: responder, logger: logger)
        self.group = try EventLoopGroup(loopCount: configuration.loopCount)
    }

    public var openConnectionCount: Int { core.connectionCount }

    /// Binds every listener, starts the loops and returns the bound addresses.
    public func start() throws -> [BoundListener] {
        Socket.ignoreSIGPIPE()
        Socket.raiseOpenFileLimit()
        var listenFDs: [Int32] = []
        var stores: [TLSContextStore?] = []
        var bound: [BoundListener] = []
        do {
            for listener in configuration.listeners {
                let store = try listener.tls.map { try TLSContextStore(configuration: $0) }
                let fd = try Socket.makeListener(listener.address)
                listenFDs.append(fd)
                stores.append(store)
                bound.append(BoundListener(address: try Socket.localAddress(of: fd), isTLS: store != nil))
            }
        } catch {
            listenFDs.forEach(Socket.close)
            throw error
        }
        let loopStates = group.loops.map { LoopState(loop: $0, readBufferSize: 64 * 1024, metrics: LoopMetrics()) }
        runtime.withLock {
            $0.listenFDs = listenFDs
            $0.tlsStores = stores.compactMap { $0 }
            $0.loopStates = loopStates
            $0.started = true
        }
        let core = self.core
        let transfer = LoopStatesTransfer(states: loopStates)
        let listeners = Array(zip(listenFDs, stores))
        group.start { loop in
            let state = transfer.states[loop.index]
            for (fd, store) in listeners {
                let handler = AcceptHandler(listenFD: fd, tlsContexts: store, core: core, loopStates: transfer)
                try? loop.register(fd, for: [.readable, .exclusive], handler: handler)
            }
            loop.addTickHandler {
                state.refreshDate()
                state.metrics.flush()
                let now = EventLoop.monotonicNanos()
                for connection in Array(state.connections.values) {
                    connection.checkTimeouts(now: now)
                }
            }
        }
        return bound
    }

    /// Re-reads every TLS certificate and key (SIGHUP). New connections get the new
    /// certificate; open ones keep theirs. A listener whose files are broken keeps serving
    /// the old certificate and the error is returned.
    public func reloadTLS() -> [any Error] {
        let stores = runtime.withLock { $0.tlsStores }
        var errors: [any Error] = []
        for store in stores {
            do { try store.reload() } catch { errors.append(error) }
        }
        return errors
    }

    /// Graceful shutdown (SIGTERM, SIGINT): stop accepting, close idle connections, let
    /// in-flight requests finish up to the grace period, then close everything. Blocks.
    public func shutdown() {
        let (listenFDs, loopStates, alreadyStopped) = runtime.withLock { runtime -> ([Int32], [LoopState], Bool) in
            let stopped = runtime.stopped
            runtime.stopped = true
            return (runtime.listenFDs, runtime.loopStates, stopped)
        }
        guard !alreadyStopped else { return }
        core.beginDraining()
        let transfer = LoopStatesTransfer(states: loopStates)
        let pending = DispatchGroup()
        for loop in group.loops {
            pending.enter()
            loop.execute {
                for fd in listenFDs { loop.deregister(fd) }
                let state = transfer.states[loop.index]
                let now = EventLoop.monotonicNanos()
                for connection in Array(state.connections.values) { connection.checkTimeouts(now: now) }
                pending.leave()
            }
        }
        pending.wait()
        listenFDs.forEach(Socket.close)
        let deadline = EventLoop.monotonicNanos() &+ configuration.shutdownGracePeriod.nanoseconds
        while core.connectionCount > 0 && EventLoop.monotonicNanos() < deadline {
            usleepMillis(10)
        }
        let closing = DispatchGroup()
        for loop in group.loops {
            closing.enter()
            loop.execute {
                for connection in Array(transfer.states[loop.index].connections.values) { connection.close() }
                closing.leave()
            }
        }
        closing.wait()
        group.stopAndJoin()
    }

    private func usleepMillis(_ millis: UInt32) {
        var request = timespec(tv_sec: 0, tv_nsec: Int(millis) * 1_000_000)
        nanosleep(&request, nil)
    }
}

/// Loop states cross into each loop's thread; each is touched only on its own loop.
struct LoopStatesTransfer: @unchecked Sendable {
    let states: [LoopState]
}
