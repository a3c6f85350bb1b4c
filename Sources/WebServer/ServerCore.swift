import HTTPCore
import Logging
import Metrics
import NetIO
import Synchronization

/// What every connection on every loop shares: configuration, the responder, the global
/// connection count and the draining flag. Immutable or atomic, so no locks on the hot path.
final class ServerCore: Sendable {
    let configuration: HTTPServer.Configuration
    let responder: Responder
    let logger: Logger
    let accessLogger: Logger
    private let openConnections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let acceptCounter = Atomic<Int>(0)
    private let openConnectionsGauge = Meter(label: MetricNames.openConnections)
    let refusedConnections = Counter(label: MetricNames.refusedConnections)

    init(configuration: HTTPServer.Configuration, responder: Responder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        var accessLogger = logger
        accessLogger[metadataKey: "log.kind"] = "access"
        self.accessLogger = accessLogger
    }

    var connectionCount: Int { openConnections.load(ordering: .relaxed) }
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Round-robin over the loops for new connections.
    func nextLoopIndex(of count: Int) -> Int {
        acceptCounter.wrappingAdd(1, ordering: .relaxed).oldValue % count
    }

    func beginDraining() { draining.store(true, ordering: .relaxed) }

    /// Reserves a connection slot; false when the server is full.
    func reserveConnection() -> Bool {
        var current = openConnections.load(ordering: .relaxed)
        while current < configuration.maxConnections {
            let (exchanged, original) = openConnections.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged {
                openConnectionsGauge.increment()
                return true
            }
            current = original
        }
        return false
    }

    func releaseConnection() {
        openConnections.subtract(1, ordering: .relaxed)
        openConnectionsGauge.decrement()
    }
}
