import Ingestion

/// A skip-ahead multi-needle search (Wu-Manber, 2-byte blocks) for keyword needles, ASCII
/// case-insensitive. Only a prefilter: it may report more than the values hold, never less.
///
/// Keyword needles must be looked for in every value of the document; instead of walking
/// the tape and running the automaton over each value byte by byte, the raw document bytes
/// are searched whole (unescaped strings, numbers and booleans appear there verbatim; keys
/// and punctuation can only add hits), then the decoded text of the escaped strings.
/// With needles of at least `minimumLength` bytes, most windows are skipped by the shift table.
final class SigmaSkipScanner: Sendable {
    static let minimumLength = 5

    private let m: Int                       // shortest needle length (window)
    private let shift: [UInt8]               // hashed folded 3-byte block -> shift
    private let bucketStart: [Int32]         // bucket -> first entry in `bucketNeedles`
    private let blockBucket: [Int32]         // hashed block -> bucket id, -1 none
    private let bucketNeedles: [Int32]       // flattened bucket contents (needle ids)
    private let needles: [[UInt8]]           // folded

    static let fold: [UInt8] = (0..<256).map { (b: Int) -> UInt8 in
        let byte = UInt8(b)
        return byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte
    }

    private static let hashBits = 12

    /// A lossy hash of the 3 bytes ending at `p` (the 4 bytes `p - 3 ... p` are readable):
    /// `| 0x20` folds ASCII letters (and merges some other bytes: only shifts get smaller).
    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>) -> Int {
        let v = UnsafeRawPointer(p - 3).loadUnaligned(as: UInt32.self).littleEndian
        let block = (v | 0x2020_2020) >> 8
        return Int((block &* 0x9E37_79B1) >> UInt32(32 - hashBits))
    }

    /// nil when a needle is too short for skipping to pay.
    init?(needles: [[UInt8]]) {
        guard let m = needles.map(\.count).min(), m >= Self.minimumLength else { return nil }
        let folded = needles.map { $0.map { Self.fold[Int($0)] } }
        let size = 1 << Self.hashBits
        var shift = [UInt8](repeating: UInt8(m - 2), count: size)
        var buckets: [Int: [Int32]] = [:]
        for (id, n) in folded.enumerated() {
            // 4 readable bytes before each block end: pad the needle's front.
            let padded = [0, 0, 0] + n
            padded.withUnsafeBufferPointer { p in
                // Blocks ending at j (2 ... m-1) within the needle's first m bytes.
                for j in 2..<m {
                    let h = Self.hash(p.baseAddress! + j + 3)
                    let s = m - 1 - j
                    if s < Int(shift[h]) { shift[h] = UInt8(s) }
                }
                buckets[Self.hash(p.baseAddress! + m - 1 + 3), default: []].append(Int32(id))
            }
        }
        var blockBucket = [Int32](repeating: -1, count: size)
        var bucketStart: [Int32] = []
        var flat: [Int32] = []
        for (block, ids) in buckets.sorted(by: { $0.key < $1.key }) {
            blockBucket[block] = Int32(bucketStart.count)
            bucketStart.append(Int32(flat.count))
            flat += ids
        }
        bucketStart.append(Int32(flat.count))
        self.m = m
        self.shift = shift
        self.blockBucket = blockBucket
        self.bucketStart = bucketStart
        self.bucketNeedles = flat
        self.needles = folded
    }

    /// Texts at least this long are searched by two interleaved cursors.
    static let interleavedLength = 64

    /// Appends the id of every needle found in `text[0..<count]` (duplicates possible).
    ///
    /// Each step of a cursor waits on its own loads (the block, then its shift), so one cursor
    /// leaves the core idle most of the time; two independent cursors, over the window ends
    /// of each half of the text, let it overlap them. A shift never jumps over a window that
    /// could match, whatever position a cursor starts from, so the two halves find every
    /// occurrence one cursor would (needles may run past the middle: `verify` reads the
    /// whole text).
    func scan(_ text: UnsafePointer<UInt8>, _ count: Int, into hits: inout [Int32]) {
        guard count >= m else { return }
        Self.fold.withUnsafeBufferPointer { fold in
            shift.withUnsafeBufferPointer { shift in
                blockBucket.withUnsafeBufferPointer { blockBucket in
                    // Window ends: the first cursor takes m-1 ..< middle, the second middle ..< count
                    // (m >= 5, so text[pos - 3] is readable from either).
                    var first = m - 1
                    let middle = count < Self.interleavedLength ? count : max(m - 1, count / 2)
                    var second = middle
                    while first < middle && second < count {
                        step(&first, text, count, shift, blockBucket, fold, into: &hits)
                        step(&second, text, count, shift, blockBucket, fold, into: &hits)
                    }
                    while first < middle { step(&first, text, count, shift, blockBucket, fold, into: &hits) }
                    while second < count { step(&second, text, count, shift, blockBucket, fold, into: &hits) }
                }
            }
        }
    }

    /// One window of a cursor at window end `pos`: skip by the shift, or verify and advance.
    @inline(__always)
    private func step(_ pos: inout Int, _ text: UnsafePointer<UInt8>, _ count: Int, _ shift: UnsafeBufferPointer<UInt8>,
                      _ blockBucket: UnsafeBufferPointer<Int32>, _ fold: UnsafeBufferPointer<UInt8>, into hits: inout [Int32]) {
        let h = Self.hash(text + pos)
        let s = Int(shift[h])
        if s > 0 { pos &+= s; return }
        let bucket = Int(blockBucket[h])
        if bucket >= 0 { verify(bucket, text, count, pos - m + 1, fold, into: &hits) }
        pos &+= 1
    }

    private func verify(_ bucket: Int, _ text: UnsafePointer<UInt8>, _ count: Int, _ start: Int,
                        _ fold: UnsafeBufferPointer<UInt8>, into hits: inout [Int32]) {
        for e in Int(bucketStart[bucket])..<Int(bucketStart[bucket + 1]) {
            let id = Int(bucketNeedles[e])
            let ok: Bool = needles[id].withUnsafeBufferPointer { n in
                guard start + n.count <= count else { return false }
                for k in 0..<n.count where fold[Int(text[start + k])] != n[k] { return false }
                return true
            }
            if ok { hits.append(Int32(id)) }
        }
    }

    /// Every needle in any value of `doc` (and possibly more: keys are searched too).
    /// `decoded`: scratch for the decoded text of escaped strings (emptied first).
    func scanDocument(_ doc: JSONScanner, into hits: inout [Int32], decoded: inout [UInt8]) {
        doc.bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            scan(base, min(bytes.count, doc.endOffset), into: &hits)
        }
        // Escaped strings: their decoded text, one after the other (a join can only add hits).
        decoded.removeAll(keepingCapacity: true)
        let unescape = Self.unescape
        doc.nodes.withUnsafeBufferPointer { tape in
            doc.bytes.withUnsafeBufferPointer { bytes in
                for i in tape.indices {
                    let n = tape[i]
                    guard n.kind == .string, n.escaped else { continue }
                    let start = Int(n.start), end = Int(n.end)
                    if end - start < 1 { continue }
                    if SigmaValueRanges.hasUnicodeEscape(doc.bytes, start, end) {
                        decoded += doc.decodedBytes(i)
                    } else {
                        var k = start
                        while k < end {
                            var b = bytes[k]
                            if b == 0x5C && k + 1 < end {
                                k &+= 1
                                b = unescape[Int(bytes[k])]
                            }
                            decoded.append(b)
                            k &+= 1
                        }
                    }
                    decoded.append(0)
                }
            }
        }
        if decoded.count >= m {
            decoded.withUnsafeBufferPointer { scan($0.baseAddress!, $0.count, into: &hits) }
        }
    }

    private static let unescape: [UInt8] = (0..<256).map { b -> UInt8 in
        switch UInt8(b) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): UInt8(b)
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: 0
        }
    }
}
