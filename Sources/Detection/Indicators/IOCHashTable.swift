/// An open-addressing hash table from a 128-bit key (two words) to an `Int32` payload, for
/// the matcher's hot lookups: a multiply-xorshift hash instead of SipHash, linear probing
/// over flat memory, no String anywhere. Keys may repeat (a lookup visits every slot whose
/// key is equal), so callers that key by a digest of something longer (domain names, hash
/// digests by their first 16 bytes) verify the payload and keep probing on a mismatch.
///
/// Built once, then read-only (the matcher is immutable): the load factor stays at or below
/// 1/2, so a miss usually ends at the first or second slot. In front of the slots sits a
/// blocked Bloom filter (16 bits per key at full load, two bits per key, both in one 64-bit
/// word, from the same hash): the slots of a 100k-entry feed are megabytes and a probe is a cache
/// miss, while the filter is a fraction of that and answers most misses (the common case:
/// most observed values are on no list) with one load. It only ever says "maybe".
///
/// A class over manually allocated memory, so a lookup costs no reference counting (an Array
/// stored in the immutable matcher is retained and released around each access otherwise).
/// Build it with `Builder` (a plain value), then freeze it; the table never changes after.
final class IOCHashTable: @unchecked Sendable {
    /// One slot per 24 bytes, key and payload together (one cache line per probe).
    struct Slot {
        var high: UInt64
        var low: UInt64
        /// -1 marks an empty slot.
        var value: Int32
    }

    private let slots: UnsafeMutablePointer<Slot>
    private let mask: Int
    private let filter: UnsafeMutablePointer<UInt64>
    /// Shift taking a hash's top bits to a filter word index (64: a single word).
    private let filterShift: UInt64
    let count: Int

    var isEmpty: Bool { count == 0 }

    /// Sized for `entries` keys (load at most 1/2).
    private init(entries: [(high: UInt64, low: UInt64, value: Int32)]) {
        var size = 8
        while size < entries.count * 2 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: Slot(high: 0, low: 0, value: -1), count: size)
        mask = size - 1
        // `size` slots hold at most size/2 keys: size/8 words is 16 bits per key.
        let words = max(1, size / 8)
        filter = .allocate(capacity: words)
        filter.initialize(repeating: 0, count: words)
        filterShift = UInt64(64 - words.trailingZeroBitCount)
        count = entries.count
        for entry in entries {
            precondition(entry.value >= 0)
            let h = Self.hash(entry.high, entry.low)
            filter[filterWord(h)] |= Self.filterBits(h)
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot].value >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(high: entry.high, low: entry.low, value: entry.value)
        }
    }

    deinit {
        slots.deallocate()
        filter.deallocate()
    }

    /// Keys collected before the table is sized and filled.
    struct Builder {
        var entries: [(high: UInt64, low: UInt64, value: Int32)] = []
        var isEmpty: Bool { entries.isEmpty }
        mutating func insert(high: UInt64, low: UInt64, value: Int32) { entries.append((high, low, value)) }
        func build() -> IOCHashTable { IOCHashTable(entries: entries) }
    }

    convenience init() { self.init(entries: []) }

    @inline(__always)
    static func hash(_ high: UInt64, _ low: UInt64) -> UInt64 {
        // Two rounds of a 64x64 multiply mix (as in wyhash/murmur finalizers): every input
        // bit reaches the bits that choose the slot and the filter word.
        var h = (high ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h ^= low
        h = (h ^ (h >> 31)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    @inline(__always)
    private static func filterBits(_ h: UInt64) -> UInt64 {
        (1 << (h & 63)) | (1 << ((h >> 6) & 63))
    }

    @inline(__always)
    private func filterWord(_ h: UInt64) -> Int {
        filterShift >= 64 ? 0 : Int(truncatingIfNeeded: h >> filterShift)
    }

    /// The payload of the first slot with this key, or -1.
    @inline(__always)
    func first(high: UInt64, low: UInt64) -> Int32 {
        let h = Self.hash(high, low)
        let bits = Self.filterBits(h)
        guard filter[filterWord(h)] & bits == bits else { return -1 }
        var index = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[index]
            if slot.value < 0 || (slot.high == high && slot.low == low) { return slot.value }
            index = (index + 1) & mask
        }
    }

    /// Visits the payload of every slot with this key until `body` returns true; whether it did.
    @inline(__always)
    func first(high: UInt64, low: UInt64, where body: (Int32) -> Bool) -> Bool {
        let h = Self.hash(high, low)
        let bits = Self.filterBits(h)
        guard filter[filterWord(h)] & bits == bits else { return false }
        var index = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[index]
            if slot.value < 0 { return false }
            if slot.high == high && slot.low == low && body(slot.value) { return true }
            index = (index + 1) & mask
        }
    }
}
