import HTTPCore
import NetIO

/// One client connection, owned by one event loop. Bytes from the socket (through TLS when
/// the listener has it) go into the HTTPCore parser; complete requests go to the responder,
/// one at a time, so responses leave in request order (pipelining, RFC 9112 §9.3.2).
///
/// The loop registers the socket edge-triggered for reads and writes once; `pump()` then
/// reads until the socket is drained, processes what was parsed, and writes what it can.
final class HTTPConnection: EventHandler {
    let fd: Int32
    let core: ServerCore
    /// Strong on purpose (an `unowned` reference costs a check on every access); the cycle
    /// with the loop's connection table is broken by `close()`.
    let loopState: LoopState
    let remoteAddress: SocketAddress?
    var tls: TLSStream?
    /// The verified client certificate's subject (mTLS), read once after the handshake.
    var clientCertificateSubject: String?

    var parser: HTTPRequestParser
    var state: ConnectionState
    /// Bytes waiting to be written, and how many of them are already sent.
    var output: [UInt8] = []
    var outputSent = 0
    var writeBlockedSince: UInt64?

    var pendingHead: HTTPRequestHead?
    var pendingBody: [UInt8] = []
    /// The socket may have unread bytes (edge-triggered: we must read until EAGAIN).
    var socketReadable = true
    /// The client closed its sending side; answer what is buffered, then close.
    var peerClosed = false
    /// Close once the output is flushed; `lingerOnClose` keeps reading after that.
    var closeAfterFlush = false
    var lingerOnClose = false
    private var pumping = false
    private var pumpRequested = false

    init(fd: Int32, remoteAddress: SocketAddress?, tls: TLSStream?, core: ServerCore, loopState: LoopState) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.tls = tls
        self.core = core
        self.loopState = loopState
        self.parser = HTTPRequestParser(limits: core.configuration.limits)
        let now = EventLoop.monotonicNanos()
        self.state = tls == nil ? .awaitingRequest(idleSince: now, headStartedAt: nil) : .handshaking(since: now)
    }

    var isClosed: Bool { state == .closed }
    var isHandling: Bool { state == .handling }
    var hasPendingOutput: Bool { outputSent < output.count }

    func handleEvents(_ events: EventLoop.Events, on loop: EventLoop) {
        if isClosed { return }
        if case .handshaking = state {
            continueHandshake()
            return
        }
        if !events.isDisjoint(with: [.readable, .readHangup, .hangup, .error]) || tls != nil {
            // TLS may need a read to make progress on a write (and the reverse); let it try.
            socketReadable = true
        }
        pump()
    }

    /// The one place that moves data: parse and answer what is buffered, write, read more.
    /// Re-entrant calls (a flush that frees room, an async answer) fold into the running one.
    func pump() {
        if pumping {
            pumpRequested = true
            return
        }
        pumping = true
        defer { pumping = false }
        repeat {
            pumpRequested = false
            processBufferedRequests()
            let written = flush()
            if isClosed { return }
            if socketReadable && !readPaused {
                readOnce()
                pumpRequested = true
            } else if written > 0 && canProcessRequests && parser.bufferedByteCount > 0 {
                // The write freed room under the high-water mark: take the next pipelined
                // request now, since no read event will come for bytes already buffered.
                pumpRequested = true
            }
        } while pumpRequested && !isClosed
    }

    /// While a request is being answered we read ahead only a little: enough for pipelined
    /// requests, not so much that a client can make us buffer without bound.
    private var readPaused: Bool {
        if case .lingering = state { return false }
        if canProcessRequests { return false }
        return parser.bufferedByteCount >= core.configuration.readAheadBytes
    }

    var canProcessRequests: Bool {
        switch state {
        case .handling, .lingering, .closed, .handshaking: return false
        default: return !closeAfterFlush && output.count - outputSent < core.configuration.writeHighWaterBytes
        }
    }

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .bytes:
            clientCertificateSubject = tls.peerCertificateSubject
            state = .awaitingRequest(idleSince: EventLoop.monotonicNanos(), headStartedAt: nil)
            socketReadable = true
            pump()
        case .wantRead, .wantWrite:
            return
        case .closed:
            close()
        case .failed(let reason):
            core.logger.debug("TLS handshake failed", metadata: ["net.peer.address": "\(remoteAddress?.description ?? "-")", "tls.error": "\(reason)"])
            close()
        }
    }
}
