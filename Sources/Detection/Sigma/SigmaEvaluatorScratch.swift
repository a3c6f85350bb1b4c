/// The per-event tables and buffers of a `SigmaEvaluator`, allocated once and reused from
/// event to event (`SigmaEvaluatorPool`). `@unchecked Sendable`: one thread uses a scratch
/// at a time (between taking it from the pool and giving it back); it is never shared.
final class SigmaEvaluatorScratch: @unchecked Sendable {
    /// slot -> index into cachedValues, -1 not resolved yet.
    var cacheIndex: [Int32]
    var cachedValues: [SigmaResolved] = []
    /// The same for text matching, which reads values flat from `arena`: slot -> index
    /// into flatFields, -1 not resolved yet.
    var flatIndex: [Int32]
    var flatFields: [SigmaFlatField] = []
    var arena = SigmaValueArena()
    var keywordValues: [SigmaValueText]?
    /// Windows records: slot -> the EventData member named exactly like the field (-1: none),
    /// found in one pass over EventData (valid when `eventDataKnown`).
    var eventDataNodes: [Int32]
    var eventDataKnown = false
    /// Some entry of `eventDataNodes` is not -1 (to clear before the next event).
    var eventDataDirty = false
    var eventDataHasSpacedKey = false
    var eventDataIndexed = false
    /// Scratch of SigmaRuleSet.forEachMatch: the candidate rule bitset, needle hits, the
    /// decoded text of escaped strings for keyword needles.
    var candidates: [UInt64] = []
    var hits: [Int32] = []
    var keywordBytes: [UInt8] = []
    /// Prefilter scans of values seen before (kept from event to event, bounded by itself).
    var scanMemo = SigmaScanMemo()

    init(slots: Int) {
        cacheIndex = [Int32](repeating: -1, count: slots)
        flatIndex = [Int32](repeating: -1, count: slots)
        eventDataNodes = [Int32](repeating: -1, count: slots)
        cachedValues.reserveCapacity(32)
        flatFields.reserveCapacity(32)
    }

    /// Forgets the previous event, keeping the storage.
    func reset() {
        if !cachedValues.isEmpty {
            cacheIndex.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
            cachedValues.removeAll(keepingCapacity: true)
        }
        if !flatFields.isEmpty {
            flatIndex.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
            flatFields.removeAll(keepingCapacity: true)
        }
        arena.removeAll()
        keywordValues = nil
        if eventDataDirty {
            eventDataNodes.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
            eventDataDirty = false
        }
        eventDataKnown = false
        eventDataHasSpacedKey = false
        eventDataIndexed = false
    }

    /// Bytes held in buffers that grow with the event (the pool drops big ones).
    var retainedBytes: Int { arena.capacityBytes + keywordBytes.capacity + hits.capacity * 4 }
}
