import HTTPCore
import Testing

@Suite struct HTTPRequestParserTests {
    @Test func getRequest_parsesHeadThenEnds() async throws {
        let outcome = await verifyParse("GET /v1/incidents?limit=5&pretty HTTP/1.1\r\nHost: soc.example\r\nUser-Agent: curl/8.5\r\nAccept: */*\r\n\r\n")
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(outcome.parts == [.head(head), .end])
        #expect(head.method == .get)
        #expect(head.target == "/v1/incidents?limit=5&pretty")
        #expect(head.path == "/v1/incidents")
        #expect(head.query == "limit=5&pretty")
        #expect(head.version == .http1_1)
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
        #expect(head.bodyLength == .none)
        #expect(head.headers.map(\.name) == ["Host", "User-Agent", "Accept"])
        #expect(head.headers["host"] == "soc.example")
        #expect(head.headers["USER-AGENT"] == "curl/8.5")
    }

    @Test func target_withoutQuery_hasNilQuery_andEmptyQueryIsKept() async throws {
        let plain = try #require(await parseHead("GET /health HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(plain.path == "/health")
        #expect(plain.query == nil)
        let empty = try #require(await parseHead("GET /health? HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(empty.path == "/health")
        #expect(empty.query == "")
    }

    @Test func target_isNotPercentDecoded() async throws {
        let head = try #require(await parseHead("GET /a%20b?x=%2F HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(head.path == "/a%20b")
        #expect(head.query == "x=%2F")
    }

    @Test func headRequest_hasNoBody() async throws {
        let outcome = await verifyParse("HEAD /v1/cases HTTP/1.1\r\nHost: a\r\n\r\n")
        let head = try #require(outcome.heads.first)
        #expect(head.method == .head)
        #expect(outcome.parts == [.head(head), .end])
    }

    @Test func postWithContentLength_emitsBodyThenEnd() async throws {
        let body = #"{"alert":"brute force","severity":"high"}"#
        let outcome = await verifyParse("POST /v1/ingest/alerts HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(head.bodyLength == .fixed(body.utf8.count))
        #expect(outcome.parts == [.head(head), .body(Array(body.utf8)), .end])
    }

    @Test func getWithContentLengthBody_isAllowed() async throws {
        let outcome = await verifyParse("GET /search HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd")
        #expect(outcome.error == nil)
        #expect(outcome.body == Array("abcd".utf8))
        #expect(outcome.parts.last == .end)
    }

    @Test func contentLengthZero_endsWithoutBodyPiece() async throws {
        let outcome = await verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        let head = try #require(outcome.heads.first)
        #expect(head.bodyLength == .fixed(0))
        #expect(outcome.parts == [.head(head), .end])
    }

    @Test func repeatedIdenticalContentLength_isAcceptedAsOne() async throws {
        let repeated = await verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc")
        #expect(repeated.error == nil)
        #expect(repeated.heads.first?.bodyLength == .fixed(3))
        let list = await verifyParse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3,3\r\n\r\nabc")
        #expect(list.error == nil)
        #expect(list.body == Array("abc".utf8))
    }

    @Test func expect100Continue_isReportedOnlyWithABody() async throws {
        let withBody = try #require(await parseHead("PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi"))
        #expect(withBody.expectsContinue)
        let chunked = try #require(await parseHead("PUT /e HTTP/1.1\r\nHost: a\r\nexpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
        #expect(chunked.expectsContinue)
        let noBody = try #require(await parseHead("GET /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"))
        #expect(!noBody.expectsContinue)
        let emptyBody = try #require(await parseHead("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"))
        #expect(!emptyBody.expectsContinue)
        // RFC 9110 §10.1.1: ignored in HTTP/1.0.
        let http10 = try #require(await parseHead("POST /e HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"))
        #expect(!http10.expectsContinue)
    }

    @Test func expect100Continue_headComesBeforeAnyBodyByte() async throws {
        var parser = HTTPRequestParser()
        parser.feed(Array("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n".utf8))
        guard case .head(let head)? = try parser.next() else {
            Issue.record("expected the head")
            return
        }
        #expect(head.expectsContinue)
        #expect(try parser.next() == nil)
        #expect(!parser.isBetweenMessages)
        parser.feed(Array("hello".utf8))
        #expect(try parser.next() == .body(Array("hello".utf8)))
        #expect(try parser.next() == .end)
    }

    @Test func http10_withoutKeepAlive_isNotPersistent() async throws {
        let head = try #require(await parseHead("GET / HTTP/1.0\r\n\r\n"))
        #expect(head.version == .http1_0)
        #expect(!head.keepAlive)
    }

    @Test func http10_withKeepAlive_isPersistent() async throws {
        let head = try #require(await parseHead("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"))
        #expect(head.keepAlive)
    }

    @Test func http11_connectionClose_isNotPersistent_inAnyTokenList() async throws {
        let close = try #require(await parseHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n"))
        #expect(!close.keepAlive)
        let secondField = try #require(await parseHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"))
        #expect(!secondField.keepAlive)
        let other = try #require(await parseHead("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed, x-close\r\n\r\n"))
        #expect(other.keepAlive)
    }

    @Test func http10_withoutHost_isAccepted() async throws {
        let head = try #require(await parseHead("POST /x HTTP/1.0\r\nContent-Length: 1\r\n\r\nz"))
        #expect(head.bodyLength == .fixed(1))
    }

    @Test func leadingEmptyLines_areIgnored() async throws {
        let outcome = await verifyParse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.count == 1)
    }

    @Test func pipelinedMix_parsesEachRequestInOrder() async throws {
        let input = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
            + "\r\n"  // a stray empty line between requests is ignored too
            + "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
            + "DELETE /d HTTP/1.0\r\n\r\n"
        let outcome = await verifyParse(input)
        #expect(outcome.error == nil)
        let heads = outcome.heads
        #expect(heads.map(\.method) == [.get, .post, .put, .delete])
        #expect(heads.map(\.path) == ["/a", "/b", "/c", "/d"])
        #expect(outcome.parts == [
            .head(heads[0]), .end,
            .head(heads[1]), .body(Array("xyz".utf8)), .end,
            .head(heads[2]), .body(Array("hi".utf8)), .end,
            .head(heads[3]), .end,
        ])
    }

    @Test func fields_keepOrderCaseAndDuplicates() async throws {
        let head = try #require(await parseHead("GET / HTTP/1.1\r\nHost: a\r\nX-Tag: one\r\nx-tag: two\r\nAccept: text/plain\r\n\r\n"))
        #expect(head.headers.map(\.name) == ["Host", "X-Tag", "x-tag", "Accept"])
        #expect(head.headers.values(for: "X-TAG") == ["one", "two"])
    }

    @Test func fieldValue_trimsOptionalWhitespace_andKeepsInnerWhitespace() async throws {
        let head = try #require(await parseHead("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t spaced  out \t\r\nX-Empty:\r\nX-Blank:   \r\n\r\n"))
        #expect(head.headers["Host"] == "a")
        #expect(head.headers["X-A"] == "spaced  out")
        #expect(head.headers["X-Empty"] == "")
        #expect(head.headers["X-Blank"] == "")
    }

    @Test func fieldValue_obsText_isDecodedAsUTF8WithReplacement() async throws {
        var input = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".utf8)
        input += [0xC3, 0xA9]  // é in UTF-8
        input += Array("\r\nX-Latin1: caf".utf8)
        input += [0xE9]  // é in Latin-1: not UTF-8
        input += Array("\r\n\r\n".utf8)
        let outcome = await verifyParse(input)
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(head.headers["X-Name"] == "café")
        #expect(head.headers["X-Latin1"] == "caf\u{FFFD}")
    }

    @Test func absoluteFormTarget_pathIsThePathComponent() async throws {
        let head = try #require(await parseHead("GET http://soc.example:8080/v1/feed?since=5 HTTP/1.1\r\nHost: soc.example:8080\r\n\r\n"))
        #expect(head.target == "http://soc.example:8080/v1/feed?since=5")
        #expect(head.path == "/v1/feed")
        #expect(head.query == "since=5")
        let bare = try #require(await parseHead("GET https://soc.example HTTP/1.1\r\nHost: soc.example\r\n\r\n"))
        #expect(bare.path == "/")
        #expect(bare.query == nil)
    }

    @Test func asteriskForm_isAcceptedForOptions() async throws {
        let head = try #require(await parseHead("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(head.method == .options)
        #expect(head.target == "*")
        #expect(head.path == "*")
    }

    @Test func authorityForm_isAcceptedForConnect() async throws {
        let head = try #require(await parseHead("CONNECT soc.example:443 HTTP/1.1\r\nHost: soc.example:443\r\n\r\n"))
        #expect(head.method == .connect)
        #expect(head.target == "soc.example:443")
        #expect(head.bodyLength == .none)
    }

    @Test func methods_areCaseSensitiveTokens_includingExtensions() async throws {
        let custom = try #require(await parseHead("PROPFIND /dav HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(custom.method == HTTPMethod("PROPFIND"))
        let lower = try #require(await parseHead("get / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(lower.method.rawValue == "get")
        #expect(lower.method != .get)
        for method in [HTTPMethod.get, .head, .post, .put, .patch, .delete, .options, .trace] {
            let head = try #require(await parseHead("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n"))
            #expect(head.method == method)
        }
    }

    @Test func emptyHostValue_isAccepted() async throws {
        let head = try #require(await parseHead("GET / HTTP/1.1\r\nHost:\r\n\r\n"))
        #expect(head.headers["Host"] == "")
    }

    @Test func body_isEmittedAsBytesArrive() async throws {
        var parser = HTTPRequestParser()
        parser.feed(Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc".utf8))
        #expect(try parser.next().map { if case .head = $0 { true } else { false } } == true)
        #expect(try parser.next() == .body(Array("abc".utf8)))
        #expect(try parser.next() == nil)
        parser.feed(Array("defg".utf8))
        #expect(try parser.next() == .body(Array("defg".utf8)))
        #expect(try parser.next() == nil)
        parser.feed(Array("hijGET".utf8))
        #expect(try parser.next() == .body(Array("hij".utf8)))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        #expect(parser.isInHead)
        #expect(parser.bufferedByteCount == 3)
    }

    @Test func largeBody_streamsInPiecesWithoutLoss() async throws {
        let size = 3 * 1024 * 1024 + 17
        let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var parser = HTTPRequestParser()
        parser.feed(Array("POST /bulk HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n".utf8))
        var received: [UInt8] = []
        var pieces = 0
        var ended = false
        var offset = 0
        while !ended {
            if offset < body.count {
                let end = min(offset + 65_536, body.count)
                body[offset..<end].withUnsafeBytes { parser.feed($0) }
                offset = end
            }
            while let part = try parser.next() {
                switch part {
                case .head: break
                case .body(let bytes): received += bytes; pieces += 1
                case .end: ended = true
                }
            }
            // Consumed bytes are dropped: the buffer never holds more than one read.
            #expect(parser.bufferedByteCount == 0)
        }
        #expect(received == body)
        #expect(pieces == (size + 65_535) / 65_536)
    }

    @Test func stateFlags_trackIdleHeadAndBody() async throws {
        var parser = HTTPRequestParser()
        #expect(parser.isBetweenMessages)
        #expect(!parser.isInHead)
        #expect(parser.bufferedByteCount == 0)

        parser.feed(Array("\r\n\r".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.isBetweenMessages)
        #expect(!parser.isInHead)

        parser.feed(Array("\nG".utf8))
        #expect(try parser.next() == nil)
        #expect(!parser.isBetweenMessages)
        #expect(parser.isInHead)

        parser.feed(Array("ET / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.isInHead)

        parser.feed(Array("\r\n".utf8))
        #expect(try parser.next() != nil)
        #expect(!parser.isInHead)
        #expect(!parser.isBetweenMessages)

        parser.feed(Array("ok".utf8))
        #expect(try parser.next() == .body(Array("ok".utf8)))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        #expect(parser.isBetweenMessages)
        #expect(parser.bufferedByteCount == 0)
        try parser.finish()
    }

    @Test func finish_betweenMessages_isFine() async throws {
        var parser = HTTPRequestParser()
        try parser.finish()
        parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n".utf8))
        while try parser.next() != nil {}
        try parser.finish()
    }

    @Test func head_convenienceInit_splitsPathAndQuery() async {
        let head = HTTPRequestHead(method: .get, target: "/a/b?c=d?e")
        #expect(head.path == "/a/b")
        #expect(head.query == "c=d?e")
        #expect(head.version == .http1_1)
        #expect(HTTPVersion.http1_0.description == "HTTP/1.0")
        #expect(HTTPVersion.http1_1.description == "HTTP/1.1")
        #expect(HTTPMethod.patch.description == "PATCH")
    }

    @Test func limits_defaultsMatchTheContract() async {
        let limits = HTTPParserLimits()
        #expect(limits.maxRequestLineBytes == 8192)
        #expect(limits.maxHeaderBytes == 16 * 1024)
        #expect(limits.maxHeaderCount == 100)
        #expect(limits.maxBodyBytes == 10 * 1024 * 1024)
        #expect(limits.maxChunkSizeHexDigits == 16)
        #expect(HTTPParserLimits(maxRequestLineBytes: 1, maxHeaderBytes: 2, maxHeaderCount: 3, maxBodyBytes: 4).maxBodyBytes == 4)
        #expect(HTTPRequestParser(limits: HTTPParserLimits(maxHeaderCount: 7)).limits.maxHeaderCount == 7)
    }

    @Test func parsers_runIndependentlyOnConcurrentTasks() async throws {
        // One parser per connection, each on its own task: the type is Sendable and shares nothing.
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for connection in 0..<8 {
                group.addTask {
                    var parser = HTTPRequestParser()
                    var ends = 0
                    for request in 0..<200 {
                        parser.feed(Array("GET /c\(connection)/r\(request) HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
                        while let part = try parser.next() {
                            if case .end = part { ends += 1 }
                        }
                    }
                    return ends
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 200, count: 8))
    }
}
