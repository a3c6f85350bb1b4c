import Foundation

/// Parses HTTP/1.1 responses (RFC 9112) out of a byte buffer for the test client. Deliberately
/// small and strict: it exists to check a server's framing, not to be forgiving.
enum TestResponseParser {
    enum Outcome {
        /// A full response and how many buffer bytes it used.
        case response(TestResponse, consumed: Int)
        case needMoreData
    }

    /// `atEOF`: the peer closed, so a body without Content-Length or chunked ends here
    /// (RFC 9112 §6.3 rule 8). `isResponseToHEAD`: no body whatever the headers say.
    static func parse(_ buffer: [UInt8], atEOF: Bool, isResponseToHEAD: Bool) throws(TestSupportError) -> Outcome {
        guard let headEnd = find([13, 10, 13, 10], in: buffer, from: 0) else { return .needMoreData }
        let headLines = String(decoding: buffer[0..<headEnd], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let (version, status, reason) = try parseStatusLine(headLines[0])
        let headers = try parseFields(headLines.dropFirst())
        var response = TestResponse(
            version: version, status: status, reason: reason, headers: headers,
            body: [], trailers: [], wasChunked: false)
        let bodyStart = headEnd + 4

        // RFC 9112 §6.3: 1xx, 204, 304 and responses to HEAD have no body.
        if isResponseToHEAD || (100..<200).contains(status) || status == 204 || status == 304 {
            return .response(response, consumed: bodyStart)
        }
        if let encoding = response.header("Transfer-Encoding"),
           encoding.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces) == "chunked"
        {
            response.wasChunked = true
            guard let (body, trailers, end) = try parseChunked(buffer, from: bodyStart) else {
                if atEOF { throw .connectionClosed("inside a chunked body") }
                return .needMoreData
            }
            response.body = body
            response.trailers = trailers
            return .response(response, consumed: end)
        }
        if let lengthText = response.header("Content-Length") {
            guard let length = Int(lengthText.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                throw .malformedResponse("Content-Length \(lengthText)")
            }
            guard buffer.count - bodyStart >= length else {
                if atEOF { throw .connectionClosed("after \(buffer.count - bodyStart) of \(length) body bytes") }
                return .needMoreData
            }
            response.body = Array(buffer[bodyStart..<(bodyStart + length)])
            return .response(response, consumed: bodyStart + length)
        }
        guard atEOF else { return .needMoreData }
        response.body = Array(buffer[bodyStart...])
        return .response(response, consumed: buffer.count)
    }

    private static func parseStatusLine(_ line: String) throws(TestSupportError) -> (String, Int, String) {
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]  (RFC 9112 §4)
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3,
              let status = Int(parts[1])
        else { throw .malformedResponse("status line \"\(line)\"") }
        return (String(parts[0]), status, parts.count == 3 ? String(parts[2]) : "")
    }

    private static func parseFields(_ lines: ArraySlice<String>) throws(TestSupportError) -> [(String, String)] {
        var fields: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw .malformedResponse("header line \"\(line)\"")
            }
            let name = String(line[..<colon])
            guard !name.contains(" ") else { throw .malformedResponse("space in field name \"\(name)\"") }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((name, value))
        }
        return fields
    }

    /// RFC 9112 §7.1: chunk-size [ext] CRLF data CRLF ... last-chunk trailers CRLF.
    /// Nil when the buffer ends before the body does.
    private static func parseChunked(_ buffer: [UInt8], from start: Int)
        throws(TestSupportError) -> (body: [UInt8], trailers: [(String, String)], end: Int)?
    {
        var body: [UInt8] = []
        var position = start
        while true {
            guard let lineEnd = find([13, 10], in: buffer, from: position) else { return nil }
            let sizeLine = String(decoding: buffer[position..<lineEnd], as: UTF8.self)
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw .malformedResponse("chunk size \"\(sizeLine)\"")
            }
            position = lineEnd + 2
            if size == 0 { break }
            guard buffer.count >= position + size + 2 else { return nil }
            body.append(contentsOf: buffer[position..<(position + size)])
            guard buffer[position + size] == 13, buffer[position + size + 1] == 10 else {
                throw .malformedResponse("chunk data not followed by CRLF")
            }
            position += size + 2
        }
        var trailerLines: [String] = []
        while true {
            guard let lineEnd = find([13, 10], in: buffer, from: position) else { return nil }
            let line = String(decoding: buffer[position..<lineEnd], as: UTF8.self)
            position = lineEnd + 2
            if line.isEmpty { break }
            trailerLines.append(line)
        }
        return (body, try parseFields(trailerLines[...]), position)
    }

    static func find(_ needle: [UInt8], in buffer: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count, start <= buffer.count - needle.count else { return nil }
        var index = start
        while index <= buffer.count - needle.count {
            if buffer[index] == needle[0] && buffer[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
