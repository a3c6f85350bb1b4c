import HTTPCore
import NetIO

/// Accepts connections for one listening socket on one loop. Every loop registers the same
/// listening socket with EPOLLEXCLUSIVE, so the kernel wakes one loop per new connection.
/// Whichever loop accepts, connections are dealt out to the loops in turn: a burst of
/// connections (a load balancer opening its pool) would otherwise all land on the loop that
/// woke first and leave the other cores idle.
final class AcceptHandler: EventHandler {
    let listenFD: Int32
    let tlsContexts: TLSContextStore?
    let core: ServerCore
    let loopStates: LoopStatesTransfer

    init(listenFD: Int32, tlsContexts: TLSContextStore?, core: ServerCore, loopStates: LoopStatesTransfer) {
        self.listenFD = listenFD
        self.tlsContexts = tlsContexts
        self.core = core
        self.loopStates = loopStates
    }

    func handleEvents(_ events: EventLoop.Events, on loop: EventLoop) {
        // A bounded batch keeps one loop from taking a whole burst; level-triggered
        // registration brings us back for the rest.
        for _ in 0..<64 {
            let accepted: (fd: Int32, peer: SocketAddress?)?
            do {
                accepted = try Socket.accept(listenFD)
            } catch {
                core.logger.warning("accept failed", metadata: ["error": "\(error)"])
                return
            }
            guard let (fd, peer) = accepted else { return }
            guard core.reserveConnection() else {
                refuseOverCapacity(fd)
                continue
            }
            let target = loopStates.states[core.nextLoopIndex(of: loopStates.states.count)]
            if target.loop === loop {
                Self.open(fd: fd, peer: peer, tlsContexts: tlsContexts, core: core, on: target)
            } else {
                let (states, tlsContexts, core) = (loopStates, self.tlsContexts, self.core)
                let index = target.loop.index
                target.loop.execute {
                    AcceptHandler.open(fd: fd, peer: peer, tlsContexts: tlsContexts, core: core, on: states.states[index])
                }
            }
        }
    }

    /// Runs on the loop that will own the connection.
    private static func open(fd: Int32, peer: SocketAddress?, tlsContexts: TLSContextStore?, core: ServerCore, on loopState: LoopState) {
        let loop = loopState.loop
        var tls: TLSStream?
        if let tlsContexts {
            do {
                tls = try TLSStream(context: tlsContexts.current, fileDescriptor: fd, role: .server)
            } catch {
                core.logger.warning("TLS session setup failed", metadata: ["error": "\(error)"])
                Socket.close(fd)
                core.releaseConnection()
                return
            }
        }
        let connection = HTTPConnection(fd: fd, remoteAddress: peer, tls: tls, core: core, loopState: loopState)
        do {
            try loop.register(fd, for: [.readable, .writable, .readHangup, .edgeTriggered], handler: connection)
        } catch {
            core.logger.warning("cannot watch connection", metadata: ["error": "\(error)"])
            Socket.close(fd)
            core.releaseConnection()
            return
        }
        loopState.add(connection)
    }

    /// Over the connection limit: a short 503 and close, so the client learns why instead of
    /// hanging in the backlog; connections already open are not affected.
    private func refuseOverCapacity(_ fd: Int32) {
        core.refusedConnections.increment()
        if tlsContexts == nil {
            Self.overCapacityResponse.withUnsafeBytes { _ = Socket.write(fd, $0) }
            Socket.shutdownWrite(fd)
        }
        Socket.close(fd)
    }

    private static let overCapacityResponse: [UInt8] = {
        let body = Problem.serviceUnavailable("The server is at its connection limit; retry shortly.", retryAfterSeconds: 1)
            .response(requestID: "-").body
        var head = HTTPResponseHead(status: .serviceUnavailable)
        head.headers.append(name: "Content-Type", value: "application/problem+json")
        head.headers.append(name: "Content-Length", value: String(body.count))
        head.headers.append(name: "Retry-After", value: "1")
        head.headers.append(name: "Connection", value: "close")
        var bytes: [UInt8] = []
        HTTPResponseEncoder.encodeHead(head, into: &bytes)
        return bytes + body
    }()
}
