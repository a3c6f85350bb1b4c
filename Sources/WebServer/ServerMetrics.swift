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

/// Metric handles cached per loop: creating a swift-metrics handle goes through the factory
/// (a lock and a lookup), too slow for every request; the cache makes it one dictionary hit.
final class LoopMetrics {
    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }
    private struct DurationKey: Hashable {
        let route: String
        let method: String
    }

    private var counters: [RequestKey: Counter] = [:]
    private var timers: [DurationKey: Timer] = [:]
    private var pendingBytesIn = 0
    private var pendingBytesOut = 0
    private let bytesIn = Counter(label: MetricNames.bytesReceived)
    private let bytesOut = Counter(label: MetricNames.bytesSent)

    func recordRequest(route: String?, method: HTTPMethod, status: Int, durationNanos: UInt64) {
        // Unmatched paths share one label so scanners cannot blow up the series count.
        let route = route ?? "unmatched"
        // Unknown methods are folded for the same reason.
        let method = Self.knownMethods.contains(method) ? method.rawValue : "OTHER"
        let key = RequestKey(route: route, method: method, status: status)
        if let counter = counters[key] {
            counter.increment()
        } else {
            let counter = Counter(label: MetricNames.requests, dimensions: [("route", route), ("method", method), ("status", String(status))])
            counters[key] = counter
            counter.increment()
        }
        let durationKey = DurationKey(route: route, method: method)
        if let timer = timers[durationKey] {
            timer.recordNanoseconds(Int64(truncatingIfNeeded: durationNanos))
        } else {
            let timer = Timer(label: MetricNames.duration, dimensions: [("route", route), ("method", method)], preferredDisplayUnit: .seconds)
            timers[durationKey] = timer
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

    private static let knownMethods: Set<HTTPMethod> = [.get, .head, .post, .put, .patch, .delete, .options]
}
