/// The byte pipe under `BlockingTestClient`: plain TCP or TLS. Both sit on a non-blocking
/// socket and wait with poll(), so every operation has a deadline and a test never hangs.
protocol TestTransport: AnyObject {
    var fileDescriptor: Int32 { get }
    /// Writes at least one byte, waiting until the deadline; returns how many were written.
    func writeSome(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant) throws(TestSupportError) -> Int
    /// Reads at least one byte, waiting until the deadline; 0 means the peer closed.
    func readSome(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant) throws(TestSupportError) -> Int
    /// Half-close: no more bytes will be sent.
    func shutdownWrite()
    func close()
}
