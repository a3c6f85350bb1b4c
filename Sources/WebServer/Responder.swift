import HTTPCore
import Logging
import NetIO

/// Turns a complete request into a response: body decoding, routing, middleware, the
/// handler, error mapping and compression. Knows nothing of sockets; the connection calls
/// `start` and, for async handlers, runs the returned work as a task.
public final class Responder: Sendable {
    public let router: Router
    let middleware: [any Middleware]
    let compression: ResponseCompression
    let maxInflatedBodyBytes: Int
    let logger: Logger

    public init(router: Router, middleware: [any Middleware] = [], compression: ResponseCompression = ResponseCompression(),
                maxInflatedBodyBytes: Int = 10 * 1024 * 1024, logger: Logger) {
        self.router = router
        self.middleware = middleware
        self.compression = compression
        self.maxInflatedBodyBytes = maxInflatedBodyBytes
        self.logger = logger
    }

    /// What the connection must do next.
    public enum Outcome: Sendable {
        /// Respond now (inline handlers, refusals, early middleware answers).
        case respond(Response)
        /// Run this with `run(_:request:context:)` on the task pool, then respond.
        case run(@Sendable (Request, RequestContext) async throws -> Response)
    }

    /// Routes the request and runs what can run now. Request and context are updated in place
    /// (body inflated, route and parameters set, middleware changes) so the caller keeps them
    /// for the response without copying.
    public func start(_ request: inout Request, context: inout RequestContext) -> Outcome {
        do {
            try decodeContentEncoding(&request)
            switch router.match(method: request.method, path: request.path) {
            case .notFound:
                throw Problem.notFound("No resource at \(request.path).")
            case .methodNotAllowed(let allowed):
                throw Problem.methodNotAllowed(request.method, path: request.path, allowed: allowed)
            case .found(let route, let parameters):
                context.route = route.template
                context.routeIndex = route.index
                context.parameters = parameters
                for (index, step) in middleware.enumerated() {
                    if let early = try step.willHandle(&request, context: &context) {
                        // Only the steps that saw the request see its response.
                        return .respond(finish(early, request: request, context: context, middlewareCount: index + 1))
                    }
                }
                switch route.handler {
                case .inline(let handler):
                    let response = try handler(request, context)
                    return .respond(finish(response, request: request, context: context))
                case .async(let handler):
                    return .run(handler)
                }
            }
        } catch {
            return .respond(finish(errorResponse(error, context: context), request: request, context: context))
        }
    }

    /// The whole pipeline in one call, without a network: for tests and internal callers.
    public func respond(to request: Request, context: RequestContext) async -> Response {
        var request = request
        var context = context
        switch start(&request, context: &context) {
        case .respond(let response): return response
        case .run(let handler): return await run(handler, request: request, context: context)
        }
    }

    /// Runs an async handler to completion and finishes its response (off the loop).
    public func run(_ handler: @Sendable (Request, RequestContext) async throws -> Response,
                    request: Request, context: RequestContext) async -> Response {
        let response: Response
        do {
            response = try await handler(request, context)
        } catch {
            response = errorResponse(error, context: context)
        }
        return finish(response, request: request, context: context)
    }

    /// Middleware after the handler, in reverse, then compression.
    func finish(_ response: Response, request: Request, context: RequestContext, middlewareCount: Int? = nil) -> Response {
        var response = response
        for step in middleware.prefix(middlewareCount ?? middleware.count).reversed() {
            step.didHandle(request, response: &response, context: context)
        }
        compression.apply(to: &response, acceptEncoding: request.headers["Accept-Encoding"])
        return response
    }

    /// Problems render with their detail; anything else is logged in full and answered with
    /// a generic 500 so internals never leak to clients.
    public func errorResponse(_ error: any Error, context: RequestContext) -> Response {
        if let convertible = error as? any ProblemConvertible {
            return convertible.problem.response(requestID: context.requestID, pretty: context.prettyJSON)
        }
        context.logger.error("unhandled error in handler", metadata: ["error": "\(String(reflecting: error))"])
        return Problem.internalError.response(requestID: context.requestID, pretty: context.prettyJSON)
    }

    /// RFC 9110 §8.4: inflate gzip bodies (with a cap against zip bombs); refuse codings we
    /// do not know with 415.
    private func decodeContentEncoding(_ request: inout Request) throws {
        guard request.headers.contains("Content-Encoding") else { return }
        let codings = request.headers.values(for: "Content-Encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces.lowercased() }
            .filter { !$0.isEmpty && $0 != "identity" }
        guard !codings.isEmpty else { return }
        guard codings == ["gzip"] || codings == ["x-gzip"] else {
            throw Problem.unsupportedMediaType("Content-Encoding \(codings.joined(separator: ", ")) is not supported; send identity or gzip.")
        }
        do {
            request.body = try Gzip.decompress(request.body, maxOutputBytes: maxInflatedBodyBytes)
        } catch .outputTooLarge(let limit) {
            throw Problem.payloadTooLarge("The gzip body inflates past the limit of \(limit) bytes.")
        } catch {
            throw Problem.badRequest("The gzip body is corrupt: \(error).")
        }
        request.head.headers.remove(name: "Content-Encoding")
        request.head.headers.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
    }
}
