/// Event bytes a reader of many rows has yet to read: it notes where each row's bytes are
/// while decoding, then reads them all with `EventLog.read(_:)` (few calls for many events).
struct DeferredBytes {
    private var indices: [Int] = []
    private var spans: [EventLog.ByteSpan] = []

    /// The bytes of the row at `index` are at `span` (nil: nothing to read for it).
    mutating func note(_ span: EventLog.ByteSpan?, at index: Int) {
        guard let span else { return }
        indices.append(index)
        spans.append(span)
    }

    /// Reads every noted span and hands each row's document and original to `deliver`.
    func read(from log: EventLog, _ deliver: (_ index: Int, _ document: [UInt8], _ original: [UInt8]) -> Void) throws(StoreError) {
        guard !spans.isEmpty else { return }
        for (index, bytes) in zip(indices, try log.read(spans)) { deliver(index, bytes.0, bytes.1) }
    }
}
