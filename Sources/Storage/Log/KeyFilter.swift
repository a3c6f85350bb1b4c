import Glibc

/// A Bloom filter over every event id, idempotency key, (source, external id) and alert
/// fingerprint the store holds, so the writer answers "never seen" (the common case) without a SQLite lookup; a
/// "maybe" is settled exactly (pending keys, then SQLite). Blocked: the 4 bits of a key lie in
/// one 64-byte cache line, so a probe costs one cache miss. 2^27 bits (16 MiB) by default:
/// about 1% false positives at 10 million keys; past ~40 million the rate climbs and the
/// writer does more exact lookups (raise `StoreConfiguration.keyFilterBits`). The bits come
/// from calloc, so an idle store with few keys keeps few pages resident; the writer populates
/// the rest in the background once traffic starts (`PageRange.populate`), since any traffic
/// touches every page within its first ten thousand or so keys anyway. Confined to the writer
/// queue.
final class KeyFilter {
    private let words: UnsafeMutablePointer<UInt64>
    /// Number of 512-bit blocks minus one (a power of two minus one).
    private let blockMask: UInt64

    init(bits: Int = 1 << 27) {
        precondition(bits.nonzeroBitCount == 1 && bits >= 512)
        guard let memory = calloc(bits / 64, MemoryLayout<UInt64>.size) else {
            fatalError("out of memory allocating the key filter")
        }
        words = memory.assumingMemoryBound(to: UInt64.self)
        blockMask = UInt64(bits / 512 - 1)
    }

    deinit { free(words) }

    /// The filter's whole pages, for `PageRange.populate`.
    var pages: PageRange {
        let pageSize = UInt(max(4096, sysconf(Int32(_SC_PAGESIZE))))
        let base = UInt(bitPattern: words)
        let start = (base + pageSize - 1) & ~(pageSize - 1)
        let end = (base + (UInt(blockMask) + 1) * 64) & ~(pageSize - 1)
        return PageRange(start: start, length: end > start ? Int(end - start) : 0)
    }

    /// Whole pages of the bit array, by address: Sendable, so another thread can make them
    /// resident while the writer sets bits.
    struct PageRange: Sendable {
        let start: UInt
        let length: Int

        /// Makes the pages resident (MADV_POPULATE_WRITE, Linux 5.14+) without changing what
        /// they hold, so it is safe while the writer sets bits. Each key's block lies on a
        /// random page, so on a fresh store the first ten thousand or so keys each took a page
        /// fault on the writer's path (~8% of all CPU in the first half second of a 50,000/s
        /// load, a fifth of the writer's); populated ahead, they do not. On older kernels it
        /// fails harmlessly and pages fault in as before.
        func populate() {
            guard length > 0, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(address, length, Self.populateWrite)
        }

        private static let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
    }

    func insert(_ hash: KeyHash) {
        let (block, bits) = Self.probe(hash.value, blockMask)
        for index in 0..<4 { words[block + Int(bits[index] >> 6)] |= 1 << (bits[index] & 63) }
    }

    func mightContain(_ hash: KeyHash) -> Bool {
        let (block, bits) = Self.probe(hash.value, blockMask)
        for index in 0..<4 where words[block + Int(bits[index] >> 6)] & (1 << (bits[index] & 63)) == 0 {
            return false
        }
        return true
    }

    /// The word offset of the key's block and its 4 bit numbers (0..<512) inside it.
    private static func probe(_ hash: UInt64, _ blockMask: UInt64) -> (Int, SIMD4<UInt64>) {
        let block = Int(hash & blockMask) * 8
        let rest = hash >> 28
        let bits = SIMD4<UInt64>(rest & 511, (rest >> 9) & 511, (rest >> 18) & 511, (rest >> 27) & 511)
        return (block, bits)
    }
}

/// A 64-bit hash of a store key, computed once per key and shared by the Bloom filter and the
/// pending-key table: FNV-1a over a namespace byte and the key's UTF-8 bytes, then a murmur
/// finalizer so every bit depends on every byte.
struct KeyHash: Hashable {
    let value: UInt64

    enum Namespace: UInt8 {
        case eventID = 1
        case external = 2
        case idempotency = 3
        case fingerprint = 4
    }

    init(_ namespace: Namespace, _ text: String, scope: String? = nil) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash = (hash ^ UInt64(namespace.rawValue)) &* 0x0000_0100_0000_01B3
        if var scope {
            scope.withUTF8 { bytes in
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3  // never a UTF-8 byte: separates scope and text
        }
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        value = hash
    }

    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
