import HTTPCore
import Logging
import NetIO
import Testing
@testable import WebServer

@Suite struct ResponderTests {
    struct Tagging: Middleware {
        let tag: String
        func willHandle(_ request: inout Request, context: inout RequestContext) throws -> Response? {
            request.head.headers.append(name: "X-Seen", value: tag)
            if request.headers["X-Stop"] == tag { return Response(status: .unauthorized) }
            return nil
        }
        func didHandle(_ request: Request, response: inout Response, context: RequestContext) {
            response.headers.append(name: "X-Order", value: tag)
        }
    }

    struct Failure: Error {}

    private func responder(middleware: [any Middleware] = [], maxInflated: Int = 1 << 20) throws -> Responder {
        var builder = RouterBuilder()
        builder.inline(.post, "/echo") { request, _ in
            var headers = HTTPFields()
            headers.append(name: "X-Seen", value: request.headers.values(for: "X-Seen").joined(separator: ","))
            return Response(status: .ok, headers: headers, body: request.body)
        }
        builder.inline(.get, "/boom") { _, _ in throw Failure() }
        builder.inline(.get, "/big") { _, _ in Response.text(String(repeating: "a", count: 4096)) }
        builder.inline(.get, "/problem") { _, _ in throw Problem.badRequest("field x is wrong") }
        return Responder(router: try builder.build(), middleware: middleware, maxInflatedBodyBytes: maxInflated,
                         logger: Logger(label: "test"))
    }

    private func request(_ method: HTTPMethod, _ target: String, headers: HTTPFields = [:], body: [UInt8] = []) -> Request {
        let parts = target.split(separator: "?", maxSplits: 1)
        let head = HTTPRequestHead(
            method: method, target: target, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
            version: .http1_1, headers: headers, keepAlive: true, expectsContinue: false,
            bodyLength: body.isEmpty ? .none : .fixed(body.count))
        return Request(head: head, body: body)
    }

    private func respond(_ responder: Responder, _ request: Request) async -> Response {
        let context = RequestContext(requestID: "req-1", logger: Logger(label: "test"), receivedAt: 0)
        return await responder.respond(to: request, context: context)
    }

    @Test func unknownPath_isProblemJSON404WithRequestID() async throws {
        let response = await respond(try responder(), request(.get, "/nope"))
        #expect(response.status.code == 404)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains(#""type":"https://mwrasp.dev/problems/not-found""#))
        #expect(body.contains(#""request_id":"req-1""#))
    }

    @Test func wrongMethod_is405WithAllowHeader() async throws {
        let response = await respond(try responder(), request(.delete, "/echo"))
        #expect(response.status.code == 405)
        #expect(response.headers["Allow"] == "POST")
    }

    @Test func middleware_runsInOrderBeforeAndInReverseAfter() async throws {
        let responder = try responder(middleware: [Tagging(tag: "a"), Tagging(tag: "b")])
        let response = await respond(responder, request(.post, "/echo", body: Array("x".utf8)))
        #expect(response.headers["X-Seen"] == "a,b")
        #expect(response.headers.values(for: "X-Order") == ["b", "a"])
    }

    @Test func middleware_canAnswerEarly_andOnlyEarlierStepsSeeTheAnswer() async throws {
        let responder = try responder(middleware: [Tagging(tag: "a"), Tagging(tag: "b"), Tagging(tag: "c")])
        let response = await respond(responder, request(.post, "/echo", headers: ["X-Stop": "b"]))
        #expect(response.status.code == 401)
        #expect(response.headers.values(for: "X-Order") == ["b", "a"])
    }

    @Test func unknownError_is500WithoutInternals() async throws {
        let response = await respond(try responder(), request(.get, "/boom"))
        #expect(response.status.code == 500)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("Failure"))
    }

    @Test func problemError_keepsItsDetail() async throws {
        let response = await respond(try responder(), request(.get, "/problem?pretty"))
        #expect(response.status.code == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("field x is wrong"))
    }

    @Test func gzipRequestBody_isInflatedBeforeTheHandler() async throws {
        let original = Array(String(repeating: "event ", count: 100).utf8)
        let response = await respond(try responder(), request(.post, "/echo", headers: ["Content-Encoding": "gzip"], body: Gzip.compress(original)))
        #expect(response.status.code == 200)
        #expect(response.body == original)
    }

    @Test func gzipBomb_is413() async throws {
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 4 << 20))
        let response = await respond(try responder(maxInflated: 1 << 20), request(.post, "/echo", headers: ["Content-Encoding": "gzip"], body: bomb))
        #expect(response.status.code == 413)
    }

    @Test func corruptGzip_is400_andUnknownEncoding_is415() async throws {
        let responder = try responder()
        let corrupt = await respond(responder, request(.post, "/echo", headers: ["Content-Encoding": "gzip"], body: Array("not gzip".utf8)))
        #expect(corrupt.status.code == 400)
        let brotli = await respond(responder, request(.post, "/echo", headers: ["Content-Encoding": "br"], body: Array("x".utf8)))
        #expect(brotli.status.code == 415)
    }

    @Test func largeResponse_isGzippedWhenAccepted_withVary() async throws {
        let responder = try responder()
        let gzipped = await respond(responder, request(.get, "/big", headers: ["Accept-Encoding": "br, gzip;q=0.8"]))
        #expect(gzipped.headers["Content-Encoding"] == "gzip")
        #expect(gzipped.headers["Vary"] == "Accept-Encoding")
        #expect(try Gzip.decompress(gzipped.body, maxOutputBytes: 1 << 20).count == 4096)
        let refused = await respond(responder, request(.get, "/big", headers: ["Accept-Encoding": "gzip;q=0"]))
        #expect(refused.headers["Content-Encoding"] == nil)
        #expect(refused.headers["Vary"] == "Accept-Encoding")
        #expect(refused.body.count == 4096)
    }

    @Test func acceptEncodingParsing() {
        #expect(ResponseCompression.acceptsGzip("gzip"))
        #expect(ResponseCompression.acceptsGzip("deflate, GZIP"))
        #expect(ResponseCompression.acceptsGzip("*"))
        #expect(!ResponseCompression.acceptsGzip("gzip;q=0"))
        #expect(!ResponseCompression.acceptsGzip("br"))
        #expect(!ResponseCompression.acceptsGzip("*;q=0"))
        #expect(!ResponseCompression.acceptsGzip("*, gzip;q=0"))
    }
}
