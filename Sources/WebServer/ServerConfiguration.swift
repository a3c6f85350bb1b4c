import HTTPCore
import NetIO

extension HTTPServer {
    /// One socket to listen on; with `tls` it speaks HTTPS.
    public struct Listener: Sendable, Equatable {
        public var address: SocketAddress
        public var tls: TLSConfiguration?

        public init(address: SocketAddress, tls: TLSConfiguration? = nil) {
            self.address = address
            self.tls = tls
        }
    }

    public struct Configuration: Sendable {
        public var listeners: [Listener]
        public var limits = HTTPParserLimits()
        public var timeouts = ConnectionTimeouts()
        /// Past this many open connections, new ones get a 503 and are closed; existing ones
        /// are not touched.
        public var maxConnections = 10_000
        public var loopCount = EventLoopGroup.defaultLoopCount
        /// How long graceful shutdown waits for in-flight requests before closing anyway.
        public var shutdownGracePeriod: Duration = .seconds(30)
        public var compression = ResponseCompression()
        /// Read-ahead per connection while a request is being handled (pipelined bytes).
        public var readAheadBytes = 64 * 1024
        /// Above this much unsent output a connection stops taking new requests until the
        /// client reads: a client that does not read cannot make us buffer without bound.
        public var writeHighWaterBytes = 1024 * 1024

        public init(listeners: [Listener]) {
            self.listeners = listeners
        }
    }

    /// A listener after binding: the real port when port 0 was asked for.
    public struct BoundListener: Sendable, Equatable {
        public let address: SocketAddress
        public let isTLS: Bool

        public var url: String { "\(isTLS ? "https" : "http")://\(address)" }
    }
}
