import HTTPCore
import Metrics

/// Metric names are Prometheus-valid from the start (STYLE.md); labels are route templates,
/// methods and statuses, never raw paths or ids.
enum MetricNames {
    static let requests = "http_server_requests_total"
    static let duration = "http_server_request_duration_seconds"
    static let openConnections = "http_server_open_connections"
    static let bytesReceived = "http_server_received_bytes_total"
    static let bytesSent = "http_server_sent_bytes_total"
    static let refusedConnections = "http_server_refused_connections_total"
}

/// Metric handles cached per loop and per route: creating a swift-metrics handle goes
/// through the factory (a lock and a lookup), far too slow for every request. Handles are
/// found by the route's index and a short linear scan (a route sees few methods and
/// statuses), so recording costs no hashing.
final class LoopMetrics {
    private struct RequestHandle {
        let method: String
        let status: Int
        let counter: Counter
    }
    private struct DurationHandle {
        let method: String
        let timer: Timer
    }
    private struct RouteSlot {
        var requests: [RequestHandle] = []
        var durations: [DurationHandle] = []
    }

    /// Slot 0 is for requests that matched no route; route i is slot i + 1.
    private var slots: [RouteSlot] = [RouteSlot()]
    private var pendingBytesIn = 0
    private var pendingBytesOut = 0
    private let bytesIn = Counter(label: MetricNames.bytesReceived)
    private let bytesOut = Counter(label: MetricNames.bytesSent)

    func recordRequest(routeIndex: Int, route: String?, method: HTTPMethod, status: Int, durationNanos: UInt64) {
        let slot = routeIndex + 1
        if slot >= slots.count {
            slots.append(contentsOf: repeatElement(RouteSlot(), count: slot + 1 - slots.count))
        }
        // Unknown methods are folded so scanners cannot blow up the series count.
        let method = Self.knownMethods.contains(method) ? method.rawValue : "OTHER"
        // Unmatched paths share one label for the same reason.
        let route = route ?? "unmatched"
        if let handle = slots[slot].requests.first(where: { $0.status == status && $0.method == method }) {
            handle.counter.increment()
        } else {
            let counter = Counter(label: MetricNames.requests, dimensions: [("route", route), ("method", method), ("status", String(status))])
            slots[slot].requests.append(RequestHandle(method: method, status: status, counter: counter))
            counter.increment()
        }
        if let handle = slots[slot].durations.first(where: { $0.method == method }) {
            handle.timer.recordNanoseconds(Int64(truncatingIfNeeded: durationNanos))
        } else {
            let timer = Timer(label: MetricNames.duration, dimensions: [("route", route), ("method", method)], preferredDisplayUnit: .seconds)
            slots[slot].durations.append(DurationHandle(method: method, timer: timer))
            timer.recordNanoseconds(Int64(truncatingIfNeeded: durationNanos))
        }
    }

    func addBytes(received: Int = 0, sent: Int = 0) {
        pendingBytesIn &+= received
        pendingBytesOut &+= sent
    }

    /// Byte counts are summed locally and published on the loop's tick, not per syscall.
    func flush() {
        if pendingBytesIn > 0 { bytesIn.increment(by: pendingBytesIn); pendingBytesIn = 0 }
        if pendingBytesOut > 0 { bytesOut.increment(by: pendingBytesOut); pendingBytesOut = 0 }
    }

    private static let knownMethods: [HTTPMethod] = [.get, .post, .head, .put, .patch, .delete, .options]
}
