#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The needle hits of field values scanned before, per automaton: the prefilter's scan of a
/// value the memo has seen is a hash and a compare instead of a walk through the automaton.
///
/// Why: the scan is a chain of dependent loads through a large DFA (process creation's
/// CommandLine automaton has ~29,000 states x 148 byte classes), ~5-10 ns per byte, and it was
/// a third of the Sigma engine's time on a benign Sysmon event. Real feeds repeat most field
/// values (Image, ParentImage, User, IntegrityLevel, Hashes, Company...), so most scans are of
/// a value seen moments ago. What a scan finds depends only on the automaton and the bytes, so
/// a remembered answer is exact.
///
/// Bounded and per scratch (one thread at a time): at most `capacity / 2` values of at most
/// `maxValueBytes` each with at most 64 hits, each remembered from its second sighting; when
/// full it is emptied and fills again. At most ~1 MiB per scratch (2,048 values of 160 bytes
/// and 64 hits; Sysmon values take a tenth of that), allocated on first use; the pool keeps
/// at most 16 scratches, and a two-core server uses two to four. Automata are told apart by
/// `SigmaAhoCorasick.id` (unique in the process), so rules reloaded (new automata) never read
/// the old answers.
struct SigmaScanMemo {
    static let capacity = 4_096
    static let maxValueBytes = 160
    /// Probes before a lookup gives up (or an insert empties the memo).
    private static let probes = 8

    private struct Entry {
        var hash: UInt64 = 0  // 0: empty
        var key: UInt64 = 0   // automaton id << 1 | escaped
        var bytesStart: Int32 = 0
        var bytesCount: Int32 = 0
        var hitsStart: Int32 = 0
        var hitsCount: Int32 = 0
    }

    private var entries: [Entry] = []
    /// Hashes of values seen once (direct-mapped, overwritten): a value is remembered on its
    /// second sighting, so values that never repeat (command lines with process ids, say) do
    /// not crowd out those that do.
    private var seenOnce: [UInt64] = []
    private var bytes: [UInt8] = []
    private var hits: [Int32] = []
    private var count = 0

    /// Appends to `out` the needle ids automaton `automaton` finds in `value` (read with
    /// `escaped` as the scan reads it): remembered ones when the memo knows the value, else
    /// those `scan` appends (remembered if the value was seen before).
    mutating func hits(automaton: UInt32, escaped: Bool, _ value: UnsafeRawBufferPointer, into out: inout [Int32],
                       scan: (inout [Int32]) -> Void) {
        guard value.count <= Self.maxValueBytes else { return scan(&out) }
        let key = UInt64(automaton) << 1 | (escaped ? 1 : 0)
        let hash = Self.hash(key, value)
        if count > 0, let entry = find(hash, key, value) {
            if entry.hitsCount > 0 { out.append(contentsOf: hits[Int(entry.hitsStart)..<Int(entry.hitsStart + entry.hitsCount)]) }
            return
        }
        let before = out.count
        scan(&out)
        if seenOnce.isEmpty { seenOnce = [UInt64](repeating: 0, count: Self.capacity) }
        let door = Int(truncatingIfNeeded: hash >> 20) & (Self.capacity - 1)
        guard seenOnce[door] == hash else {
            seenOnce[door] = hash
            return
        }
        if out.count - before <= 64 { insert(hash, key, value, found: out[before...]) }
    }

    private func find(_ hash: UInt64, _ key: UInt64, _ value: UnsafeRawBufferPointer) -> Entry? {
        let mask = Self.capacity - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        for _ in 0..<Self.probes {
            let entry = entries[index]
            if entry.hash == 0 { return nil }
            if entry.hash == hash, entry.key == key, Int(entry.bytesCount) == value.count,
               bytes.withUnsafeBytes({ stored in
                   value.isEmpty || memcmp(stored.baseAddress! + Int(entry.bytesStart), value.baseAddress!, value.count) == 0
               }) {
                return entry
            }
            index = (index + 1) & mask
        }
        return nil
    }

    private mutating func insert(_ hash: UInt64, _ key: UInt64, _ value: UnsafeRawBufferPointer, found: ArraySlice<Int32>) {
        if entries.isEmpty {
            entries = [Entry](repeating: Entry(), count: Self.capacity)
            bytes.reserveCapacity(Self.capacity / 2 * 48)
        }
        if count >= Self.capacity / 2 { removeAll() }
        let mask = Self.capacity - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        var probed = 0
        while entries[index].hash != 0 {
            probed += 1
            if probed == Self.probes {
                // A crowded neighbourhood: start over rather than probe further.
                removeAll()
                index = Int(truncatingIfNeeded: hash) & mask
                break
            }
            index = (index + 1) & mask
        }
        entries[index] = Entry(hash: hash, key: key, bytesStart: Int32(bytes.count), bytesCount: Int32(value.count),
                               hitsStart: Int32(hits.count), hitsCount: Int32(found.count))
        bytes.append(contentsOf: value)
        hits.append(contentsOf: found)
        count += 1
    }

    private mutating func removeAll() {
        entries.withUnsafeMutableBufferPointer { $0.update(repeating: Entry()) }
        bytes.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
        count = 0
    }

    /// A 64-bit hash of the key and the bytes (multiply-xorshift over 8-byte words), never 0.
    private static func hash(_ key: UInt64, _ value: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = (UInt64(key) &+ UInt64(value.count) << 32) &* multiplier
        var offset = 0
        while offset + 8 <= value.count {
            h = (h ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            h ^= h >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < value.count {
            tail |= UInt64(value[offset]) << shift
            shift += 8
            offset += 1
        }
        h = (h ^ tail) &* multiplier
        h ^= h >> 32
        return h == 0 ? 1 : h
    }
}
