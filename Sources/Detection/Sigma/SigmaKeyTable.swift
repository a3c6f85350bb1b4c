#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Field names (byte strings) -> field slot, looked up by raw bytes without building a String
/// or an Array: an open-addressing table over FNV-1a hashes, names in one flat buffer.
final class SigmaKeyTable: Sendable {
    private let mask: Int
    private let slots: [Int32]      // table position -> entry index, -1 empty
    private let hashes: [UInt32]    // by entry
    private let starts: [Int32]     // by entry, into `bytes`
    private let lengths: [Int32]
    private let values: [Int32]     // by entry: the field slot
    private let bytes: [UInt8]

    init(_ names: [(name: [UInt8], value: Int32)]) {
        var size = 16
        while size < names.count * 2 { size <<= 1 }
        var slots = [Int32](repeating: -1, count: size)
        var hashes: [UInt32] = [], starts: [Int32] = [], lengths: [Int32] = [], values: [Int32] = [], bytes: [UInt8] = []
        for (name, value) in names {
            let h = name.withUnsafeBufferPointer { Self.hash($0) }
            var p = Int(h) & (size - 1)
            var duplicate = false
            while slots[p] >= 0 {
                let e = Int(slots[p])
                if hashes[e] == h && bytes[Int(starts[e])..<Int(starts[e] + lengths[e])].elementsEqual(name) { duplicate = true; break }
                p = (p + 1) & (size - 1)
            }
            if duplicate { continue }
            slots[p] = Int32(values.count)
            hashes.append(h)
            starts.append(Int32(bytes.count))
            lengths.append(Int32(name.count))
            values.append(value)
            bytes += name
        }
        self.mask = size - 1
        self.slots = slots
        self.hashes = hashes
        self.starts = starts
        self.lengths = lengths
        self.values = values
        self.bytes = bytes
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in key { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    /// The value of `key`, or -1.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(key)
        var p = Int(h) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { bytes in
                while true {
                    let e = Int(slots[p])
                    if e < 0 { return -1 }
                    if hashes[e] == h && Int(lengths[e]) == key.count
                        && (key.count == 0 || memcmp(bytes.baseAddress! + Int(starts[e]), key.baseAddress!, key.count) == 0) {
                        return values[e]
                    }
                    p = (p + 1) & mask
                }
            }
        }
    }
}
