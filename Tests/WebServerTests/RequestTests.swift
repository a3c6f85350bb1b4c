import HTTPCore
import Testing
@testable import WebServer

@Suite struct RequestTests {
    @Test func queryItems_arePercentAndPlusDecoded() {
        let head = HTTPRequestHead(method: .get, target: "/x?a=1+2&b&c=%41%zz&a=3", path: "/x", query: "a=1+2&b&c=%41%zz&a=3",
                                   version: .http1_1, headers: [:], keepAlive: true, expectsContinue: false, bodyLength: .none)
        let request = Request(head: head)
        #expect(request.query("a") == "1 2")
        #expect(request.query("b") == "")
        #expect(request.query("c") == "A%zz")
        #expect(request.query("missing") == nil)
        #expect(request.queryItems.count == 4)
    }

    @Test func requestIDPolicy_acceptsSaneTokensOnly() {
        #expect(RequestIDPolicy.isWellFormed("a1b2c3d4-0000-4000-8000-000000000000"))
        #expect(RequestIDPolicy.isWellFormed("trace:abc.def_1"))
        #expect(!RequestIDPolicy.isWellFormed(""))
        #expect(!RequestIDPolicy.isWellFormed("has space"))
        #expect(!RequestIDPolicy.isWellFormed("inject\r\nX: y"))
        #expect(!RequestIDPolicy.isWellFormed(String(repeating: "a", count: 129)))
    }

    @Test func problemJSON_escapesAndCarriesTheRequestID() {
        let response = Problem.badRequest("quote \" and newline \n").response(requestID: "r1")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body == #"{"type":"https://mwrasp.dev/problems/bad-request","title":"The request is malformed","status":400,"detail":"quote \" and newline \n","request_id":"r1"}"#)
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }
}
