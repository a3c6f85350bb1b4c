/// request-line = method SP request-target SP HTTP-version (RFC 9112 §3).
extension HTTPRequestParser {
    mutating func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        let end = line.count
        var index = 0

        // method = token (§3.1), case-sensitive.
        while index < end, ASCII.isTChar(line[index]) { index &+= 1 }
        guard index > 0 else {
            throw .badRequest(
                index < end && ASCII.isWhitespace(line[index])
                    ? "request line starts with whitespace" : "invalid method token")
        }
        guard index < end, line[index] == ASCII.space else {
            throw .badRequest(index == end ? "request line has no request-target" : "invalid character in method")
        }
        let method = HTTPMethod.parse(UnsafeBufferPointer(rebasing: line[0..<index]))
        index &+= 1

        // request-target: no whitespace or CTLs (§3.2); only URI characters, so non-ASCII too
        // is refused (RFC 3986 has no raw bytes above 0x7E).
        let targetStart = index
        var queryMark: Int?
        while index < end {
            let byte = line[index]
            if byte == ASCII.space { break }
            guard byte > 0x20, byte < 0x7F else {
                throw .badRequest("invalid character in request-target")
            }
            if byte == ASCII.question, queryMark == nil {
                queryMark = index
            } else if byte == ASCII.hash {
                // A fragment is never part of a request-target (§3.2).
                throw .badRequest("fragment in request-target")
            }
            index &+= 1
        }
        let targetEnd = index
        guard targetEnd > targetStart else {
            throw .badRequest(
                targetStart < end ? "request line parts must be separated by single spaces"
                    : "request line has no request-target")
        }
        guard index < end else {
            throw .badRequest("request line has no HTTP version")
        }
        index &+= 1

        let version = try parseVersion(UnsafeBufferPointer(rebasing: line[index..<end]))
        let target = UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd])
        let query = queryMark.map { $0 &- targetStart }
        let (targetString, path, queryString) = try splitTarget(target, queryMark: query, method: method)

        head.method = method
        head.target = targetString
        head.path = path
        head.query = queryString
        head.version = version
        head.fields.reserveCapacity(16)
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (§2.3), case-sensitive. Any other well-formed
    /// version is 505; anything else is not HTTP/1 at all (400).
    func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8,
            ASCII.equals(UnsafeBufferPointer(rebasing: bytes[0..<5]), "HTTP/"),
            ASCII.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), ASCII.isDigit(bytes[7])
        else {
            throw .badRequest(
                bytes.first.map(ASCII.isWhitespace) == true
                    ? "request line parts must be separated by single spaces" : "malformed HTTP version")
        }
        switch (bytes[5], bytes[7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http1_0
        default: throw .versionNotSupported
        }
    }

    /// Checks the target's form against the method (§3.2) and splits path and query.
    func splitTarget(
        _ target: UnsafeBufferPointer<UInt8>, queryMark: Int?, method: HTTPMethod
    ) throws(HTTPParseError) -> (target: String, path: String, query: String?) {
        let targetString = String(decoding: target, as: UTF8.self)
        let query = queryMark.map {
            String(decoding: UnsafeBufferPointer(rebasing: target[($0 &+ 1)...]), as: UTF8.self)
        }
        let pathEnd = queryMark ?? target.count

        if method == .connect {
            // authority-form = uri-host ":" port, and only for CONNECT (§3.2.3).
            guard isAuthorityForm(target) else {
                throw .badRequest("CONNECT requires an authority-form request-target (host:port)")
            }
            return (targetString, targetString, nil)
        }
        if target[0] == ASCII.slash {
            // origin-form (§3.2.1); the path shares the target's storage when there is no query.
            let path = queryMark == nil
                ? targetString
                : String(decoding: UnsafeBufferPointer(rebasing: target[0..<pathEnd]), as: UTF8.self)
            return (targetString, path, query)
        }
        if target.count == 1, target[0] == UInt8(ascii: "*") {
            // asterisk-form, only for a server-wide OPTIONS (§3.2.4).
            guard method == .options else {
                throw .badRequest("asterisk-form request-target is only allowed with OPTIONS")
            }
            return (targetString, targetString, nil)
        }
        // absolute-form = absolute-URI (§3.2.2): scheme ":" hier-part.
        guard let colon = schemeEnd(target), colon < pathEnd else {
            throw .badRequest("invalid request-target")
        }
        var pathStart = colon &+ 1
        if pathEnd &- pathStart >= 2, target[pathStart] == ASCII.slash, target[pathStart &+ 1] == ASCII.slash {
            // "//" authority: the path starts at the next "/" (or is empty).
            pathStart &+= 2
            while pathStart < pathEnd, target[pathStart] != ASCII.slash { pathStart &+= 1 }
        }
        let path = pathStart < pathEnd
            ? String(decoding: UnsafeBufferPointer(rebasing: target[pathStart..<pathEnd]), as: UTF8.self)
            : "/"
        return (targetString, path, query)
    }

    /// Index of the ":" ending a URI scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )).
    func schemeEnd(_ target: UnsafeBufferPointer<UInt8>) -> Int? {
        guard ASCII.isAlpha(target[0]) else { return nil }
        var index = 1
        while index < target.count {
            let byte = target[index]
            if byte == ASCII.colon { return index }
            guard ASCII.isAlpha(byte) || ASCII.isDigit(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            else { return nil }
            index &+= 1
        }
        return nil
    }

    func isAuthorityForm(_ target: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let colon = target.lastIndex(of: ASCII.colon), colon > 0, colon &+ 1 < target.count else {
            return false
        }
        for index in 0..<colon where !ASCII.isAuthorityByte(target[index]) {
            return false
        }
        for index in (colon &+ 1)..<target.count where !ASCII.isDigit(target[index]) {
            return false
        }
        return true
    }
}
