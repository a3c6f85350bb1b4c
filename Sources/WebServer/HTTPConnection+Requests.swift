import HTTPCore
import NetIO

extension HTTPConnection {
    /// Takes parsed parts while the connection may start a new request.
    func processBufferedRequests() {
        while canProcessRequests {
            let part: HTTPRequestPart?
            do {
                part = try parser.next()
            } catch {
                refuse(error)
                return
            }
            guard let part else {
                if peerClosed { handlePeerClosedBetweenParts() }
                return
            }
            switch part {
            case .head(let head):
                pendingHead = head
                pendingBody = []
                state = .readingBody(lastProgress: EventLoop.monotonicNanos())
                // RFC 9110 §10.1.1: tell the client to go on with the body. Oversized bodies
                // never get here: the parser already refused them with 413.
                if head.expectsContinue && head.version == .http1_1 {
                    output.append(contentsOf: Self.continueLine)
                }
            case .body(let bytes):
                pendingBody.append(contentsOf: bytes)
            case .end:
                dispatchPendingRequest()
            }
        }
    }

    private func handlePeerClosedBetweenParts() {
        do {
            try parser.finish()
            closeAfterFlush = true
        } catch {
            // The client hung up in the middle of a request: nobody is left to answer.
            close()
        }
    }

    /// A request the parser refused: problem+json with the parser's status, then close.
    func refuse(_ error: HTTPParseError) {
        let requestID = loopState.requestID(from: nil)
        let response = Problem.parseError(error).response(requestID: requestID)
        writeError(response, requestID: requestID, method: pendingHead?.method ?? HTTPMethod("UNPARSED"))
    }

    /// An error answer outside routing (parse errors, timeouts): always closes, lingering.
    func writeError(_ response: Response, requestID: String, method: HTTPMethod) {
        var head = HTTPResponseHead(status: response.status, headers: response.headers)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        head.headers.append(name: "Date", value: loopState.dateHeaderValue)
        head.headers.append(name: "X-Request-Id", value: requestID)
        head.headers.append(name: "Connection", value: "close")
        HTTPResponseEncoder.encodeHead(head, into: &output)
        output.append(contentsOf: response.body)
        loopState.metrics.recordRequest(routeIndex: -1, route: nil, method: method, status: response.status.code, durationNanos: 0)
        core.accessLogger.info("request refused", metadata: [
            "http.status_code": "\(response.status.code)", "request.id": "\(requestID)",
            "net.peer.address": "\(remoteAddress?.description ?? "-")",
        ])
        pendingHead = nil
        pendingBody = []
        closeAfterFlush = true
        lingerOnClose = true
        if state != .closed { state = .awaitingRequest(idleSince: EventLoop.monotonicNanos(), headStartedAt: nil) }
    }

    private func dispatchPendingRequest() {
        guard let head = pendingHead.take() else { return }
        let body = pendingBody
        pendingBody = []
        let now = EventLoop.monotonicNanos()
        var context = RequestContext(
            requestID: loopState.requestID(from: head.headers["X-Request-Id"]),
            logger: core.logger, receivedAt: now, prettyJSON: Self.wantsPrettyJSON(head))
        var request = Request(
            head: head, body: body, remoteAddress: remoteAddress, isSecure: tls != nil,
            clientCertificateSubject: clientCertificateSubject)
        switch core.responder.start(&request, context: &context) {
        case .respond(let response):
            writeResponse(response, request: request, context: context)
        case .run(let handler):
            state = .handling
            let bound = LoopBound(self, loop: loopState.loop)
            let responder = core.responder
            let (request, context) = (request, context)
            Task {
                let response = await responder.run(handler, request: request, context: context)
                bound.loop.execute {
                    let connection = bound.value
                    guard !connection.isClosed else { return }
                    connection.writeResponse(response, request: request, context: context)
                    connection.pump()
                }
            }
        }
    }

    /// Serializes a routed response: adds the framing headers, drops the body for HEAD,
    /// records metrics and the access log.
    func writeResponse(_ response: Response, request: Request, context: RequestContext) {
        let keepAlive = request.head.keepAlive && !core.isDraining && !peerClosed
        var head = HTTPResponseHead(status: response.status, headers: response.headers)
        // The framing fields are ours: a handler's Content-Length could only be wrong.
        if head.headers.contains("Content-Length") { head.headers.remove(name: "Content-Length") }
        HTTPResponseEncoder.encodeHeadStart(head, into: &output)
        if response.status.allowsBody {
            HTTPResponseEncoder.encodeContentLength(response.body.count, into: &output)
        }
        output.append(contentsOf: loopState.dateFieldLine)
        if !head.headers.contains("X-Request-Id") {
            HTTPResponseEncoder.encodeField(name: "X-Request-Id", value: context.requestID, into: &output)
        }
        if !keepAlive {
            output.append(contentsOf: Self.connectionCloseLine)
        } else if request.head.version == .http1_0 {
            output.append(contentsOf: Self.connectionKeepAliveLine)
        }
        HTTPResponseEncoder.encodeHeadEnd(into: &output)
        if request.method != .head && response.status.allowsBody {
            output.append(contentsOf: response.body)
        }
        let now = EventLoop.monotonicNanos()
        let duration = now &- context.receivedAt
        loopState.metrics.recordRequest(routeIndex: context.routeIndex, route: context.route, method: request.method,
                                        status: response.status.code, durationNanos: duration)
        core.accessLogger.info("request", metadata: [
            "http.method": "\(request.method.rawValue)", "http.target": "\(request.head.target)",
            "http.route": "\(context.route ?? "-")", "http.status_code": "\(response.status.code)",
            "http.response.body.size": "\(response.body.count)", "http.duration_ms": "\(Double(duration) / 1_000_000)",
            "request.id": "\(context.requestID)", "net.peer.address": "\(remoteAddress?.description ?? "-")",
        ])
        state = .awaitingRequest(idleSince: now, headStartedAt: nil)
        if !keepAlive {
            closeAfterFlush = true
            // Bytes of a request we will not answer may still be arriving.
            lingerOnClose = parser.bufferedByteCount > 0 || !parser.isBetweenMessages
        }
    }

    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    static let connectionCloseLine: [UInt8] = Array("Connection: close\r\n".utf8)
    static let connectionKeepAliveLine: [UInt8] = Array("Connection: keep-alive\r\n".utf8)

    /// `?pretty` (any value but false/0) or `Accept: application/json; indent=2`.
    static func wantsPrettyJSON(_ head: HTTPRequestHead) -> Bool {
        if let query = head.query, !query.isEmpty {
            for item in query.split(separator: "&") {
                let name = item.split(separator: "=", maxSplits: 1).first ?? item
                if name == "pretty" {
                    let value = item.split(separator: "=", maxSplits: 1).dropFirst().first
                    return value != "false" && value != "0"
                }
            }
        }
        if let accept = head.headers["Accept"], accept.contains("indent=") { return true }
        return false
    }
}
