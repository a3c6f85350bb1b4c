import Dispatch
import Glibc

/// SIGTERM and SIGINT end the process gracefully; SIGHUP reloads TLS certificates. Signals
/// are taken through Dispatch sources, so handlers run as ordinary code, not in a signal
/// context.
final class SignalHandling: @unchecked Sendable {
    private let queue = DispatchQueue(label: "mwrasp.signals")
    private var sources: [any DispatchSourceSignal] = []
    private let terminated = DispatchSemaphore(value: 0)

    init() {
        for signalNumber in [SIGTERM, SIGINT] {
            Glibc.signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [terminated] in terminated.signal() }
            source.resume()
            sources.append(source)
        }
    }

    func onReload(_ handler: @escaping @Sendable () -> Void) {
        Glibc.signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        source.setEventHandler(handler: handler)
        source.resume()
        sources.append(source)
    }

    func waitForTermination() {
        terminated.wait()
    }
}
