import HTTPCore
import NetIO

extension HTTPConnection {
    /// Called on every loop tick: applies `ConnectionTimeouts.action`, and during shutdown
    /// closes connections that have no request in progress.
    func checkTimeouts(now: UInt64) {
        if core.isDraining, case .awaitingRequest(_, nil) = state, parser.isBetweenMessages, !hasPendingOutput {
            close()
            return
        }
        switch core.configuration.timeouts.action(for: state, writeBlockedSince: writeBlockedSince, now: now) {
        case .none:
            return
        case .close:
            close()
        case .requestTimeout(let detail):
            let requestID = loopState.requestID(from: nil)
            writeError(Problem.requestTimeout(detail).response(requestID: requestID), requestID: requestID,
                       method: pendingHead?.method ?? HTTPMethod("UNPARSED"))
            pump()
        }
    }
}
