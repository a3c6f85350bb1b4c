/// A step around every routed request. Middleware is synchronous on purpose: it runs on the
/// event loop for every request, so it must be cheap (header checks, in-memory token and
/// rate-limit lookups). `willHandle` may answer early (401, 429); `didHandle` may change the
/// response. Middleware runs in order before the handler and in reverse order after it.
public protocol Middleware: Sendable {
    func willHandle(_ request: inout Request, context: inout RequestContext) throws -> Response?
    func didHandle(_ request: Request, response: inout Response, context: RequestContext)
}

extension Middleware {
    public func willHandle(_ request: inout Request, context: inout RequestContext) throws -> Response? { nil }
    public func didHandle(_ request: Request, response: inout Response, context: RequestContext) {}
}
