import Synchronization

/// Holds the current server context; `reload()` re-reads the files and swaps only on success,
/// so a SIGHUP with a broken file keeps serving the old certificate. Existing connections keep
/// the context they started with (each SSL holds a reference to its SSL_CTX).
public final class TLSContextStore: Sendable {
    public let configuration: TLSConfiguration
    private let context: Mutex<TLSContext>

    public init(configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        self.context = Mutex(try TLSContext.server(configuration))
    }

    /// The context new connections should use.
    public var current: TLSContext {
        context.withLock { $0 }
    }

    /// Builds a fresh context from the configured files, outside the lock (it reads files),
    /// and installs it only if that fully succeeded; on error the old context stays.
    public func reload() throws(TLSError) {
        let fresh = try TLSContext.server(configuration)
        context.withLock { $0 = fresh }
    }
}
