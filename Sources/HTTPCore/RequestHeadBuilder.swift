/// The head of the request being parsed, plus the framing facts gathered from its fields as
/// they arrive, so that the end of the head needs no second pass over the fields.
struct RequestHeadBuilder: Sendable {
    var method = HTTPMethod.get
    var target = ""
    var path = ""
    var query: String?
    var version = HTTPVersion.http1_1
    var fields = HTTPFields()

    var hostCount = 0
    /// The single value every Content-Length element agreed on so far.
    var contentLength: Int?
    var sawTransferEncoding = false
    var transferCodingCount = 0
    var chunkedCount = 0
    var lastCodingIsChunked = false
    /// First coding other than chunked, lowercased, for the 501 reason.
    var unsupportedCoding: String?
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false

    /// Decides the message's framing (RFC 9112 §6) and hands out the head. The order of the
    /// checks is fixed so that a request with several faults always gets the same answer.
    mutating func makeHead(limits: HTTPParserLimits) throws(HTTPParseError) -> HTTPRequestHead {
        let bodyLength: HTTPRequestHead.BodyLength
        if sawTransferEncoding {
            // §6.1: a 1.0 recipient cannot know chunked; treat the framing as faulty.
            guard version != .http1_0 else {
                throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0 requests")
            }
            // §6.3 rule 3: the classic smuggling shape; refuse rather than pick one.
            guard contentLength == nil else {
                throw .badRequest("Content-Length and Transfer-Encoding both present")
            }
            // §6.3 rule 4: otherwise the body length cannot be determined reliably.
            guard transferCodingCount > 0 else {
                throw .badRequest("empty Transfer-Encoding")
            }
            guard chunkedCount == 1, lastCodingIsChunked else {
                throw .badRequest("chunked must be the final transfer coding and appear once")
            }
            // §6.1: a coding we do not understand is 501.
            if let unsupportedCoding {
                throw .notImplemented("transfer coding \"\(unsupportedCoding)\" is not supported")
            }
            bodyLength = .chunked
        } else if let contentLength {
            bodyLength = .fixed(contentLength)
        } else {
            bodyLength = .none
        }

        // §3.2: a 1.1 request needs a Host, and no request may carry two.
        if hostCount > 1 {
            throw .badRequest("more than one Host header field")
        }
        if version == .http1_1, hostCount == 0 {
            throw .badRequest("missing Host header field")
        }
        if case .fixed(let length) = bodyLength, length > limits.maxBodyBytes {
            throw .payloadTooLarge
        }

        let hasBody: Bool
        switch bodyLength {
        case .none: hasBody = false
        case .fixed(let length): hasBody = length > 0
        case .chunked: hasBody = true
        }
        // §9.3: close always wins; 1.0 persists only when asked to.
        let keepAlive = !connectionClose && (version == .http1_1 || connectionKeepAlive)

        // Move the strings and fields out rather than copy them: the builder is reset next.
        var headers = HTTPFields()
        swap(&headers, &fields)
        var target = ""
        swap(&target, &self.target)
        var path = ""
        swap(&path, &self.path)
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
        let expectsContinue = expectsContinue && hasBody && version == .http1_1
        let head = HTTPRequestHead(
            method: method, target: target, path: path, query: query.take(), version: version,
            headers: headers, keepAlive: keepAlive, expectsContinue: expectsContinue,
            bodyLength: bodyLength)
        return head
    }
}
