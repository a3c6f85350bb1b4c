import HTTPCore
import NetIO

/// gzip for responses (RFC 9110 §8.4, §12.5.3): when the client accepts gzip and the body is
/// large enough to be worth it. `Vary: Accept-Encoding` goes on every response that could
/// have been compressed, so caches keep the two forms apart.
public struct ResponseCompression: Sendable {
    public var minimumBodyBytes: Int
    public var level: Int32

    public init(minimumBodyBytes: Int = 1024, level: Int32 = 6) {
        self.minimumBodyBytes = minimumBodyBytes
        self.level = level
    }

    public func apply(to response: inout Response, acceptEncoding: String?) {
        guard response.status.allowsBody, response.body.count >= minimumBodyBytes,
              !response.headers.contains("Content-Encoding") else { return }
        if let vary = response.headers["Vary"] {
            if !vary.lowercased().contains("accept-encoding") {
                response.headers.replaceOrAdd(name: "Vary", value: vary + ", Accept-Encoding")
            }
        } else {
            response.headers.append(name: "Vary", value: "Accept-Encoding")
        }
        guard let acceptEncoding, Self.acceptsGzip(acceptEncoding) else { return }
        let compressed = Gzip.compress(response.body, level: level)
        guard compressed.count < response.body.count else { return }
        response.body = compressed
        response.headers.append(name: "Content-Encoding", value: "gzip")
    }

    /// True when `gzip` (or `*`) is listed with a non-zero q-value and not refused explicitly.
    static func acceptsGzip(_ header: String) -> Bool {
        var gzipQuality: Double?
        var wildcardQuality: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let coding = parts.first?.trimmingSpaces.lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingSpaces
                if pair.lowercased().hasPrefix("q="), let value = Double(pair.dropFirst(2)) {
                    quality = value
                }
            }
            if coding == "gzip" || coding == "x-gzip" { gzipQuality = quality }
            if coding == "*" { wildcardQuality = quality }
        }
        return (gzipQuality ?? wildcardQuality ?? 0) > 0
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
