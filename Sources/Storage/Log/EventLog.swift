import Foundation
import Glibc
import Synchronization

/// The append-only, checksummed log that makes an acknowledged event durable (DESIGN.md §10).
///
/// Why a log beside SQLite: before it, every group commit wrote each event's ~1.3 KB of
/// document and original bytes into SQLite twice (WAL, then checkpoint) together with four
/// B-tree updates on the one writer thread, and the ack waited for all of it: ~35k events/s in
/// bulk. Now the ack waits only for one sequential, synchronous O_DIRECT write of the frame;
/// SQLite keeps the typed columns, indexes and a pointer to the bytes, and is brought up to date
/// from the log by the indexer right behind the writer (and from the log again after a crash).
///
/// Writes come only from the writer queue; reads (`read`) from any thread.
final class EventLog: @unchecked Sendable {
    let directory: String
    private let segmentBytes: Int64

    private struct Segments {
        /// Start positions, ascending.
        var starts: [Int64] = []
        /// Read descriptors, opened on first use.
        var readers: [Int64: Int32] = [:]
    }
    private let segments = Mutex(Segments())

    // Writer state (writer queue only).
    private var writer: Int32 = -1
    private var writerStart: Int64 = 0
    /// Where the next frame goes (a block boundary).
    private(set) var endPosition: Int64 = 0
    /// O_DIRECT is used when the file system takes it (tmpfs does not).
    private(set) var isDirect = false
    /// A failed write that could not be undone leaves the log unusable until restart.
    private var broken: String?
    /// Zero-fills the current segment ahead of the frames, beside the writer.
    private let preparer = SegmentPreparer()
    /// The current segment's file size when the writer opened it.
    private var openedSize: Int64 = 0

    init(directory: String, segmentBytes: Int64 = LogFormat.segmentBytes) throws(StoreError) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            let starts = names.compactMap(Self.start(ofSegment:)).sorted()
            segments.withLock { $0.starts = starts }
        } catch {
            throw .database("event log: cannot open \(directory): \(error)")
        }
    }

    deinit { close() }

    var segmentStarts: [Int64] { segments.withLock { $0.starts } }

    // MARK: Recovery

    /// Calls `body` with each valid frame's payload from `position` (a frame boundary) on, in
    /// order, and returns the position after the last valid frame: where appends continue.
    /// A torn frame at the end (a crash during a write that was never acknowledged) is where the
    /// scan stops.
    func scan(from position: Int64, _ body: (UnsafeRawBufferPointer, Int64) throws(StoreError) -> Void)
        throws(StoreError) -> Int64
    {
        let starts = segmentStarts
        guard !starts.isEmpty else { return position }
        var position = position
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        // Segments before the one holding `position` are already applied.
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : Int64.max
            if end <= position { continue }
            if position < start { position = start }
            let fd = try readDescriptor(start)
            while true {
                var header = [UInt8](repeating: 0, count: LogFormat.headerSize)
                let got = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, LogFormat.headerSize, off_t(position - start)) }
                guard got == LogFormat.headerSize else { break }
                let fields = header.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian,
                     Int(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian),
                     raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian,
                     raw.loadUnaligned(fromByteOffset: 16, as: Int64.self).littleEndian)
                }
                let (magic, length, checksum, framePosition) = fields
                guard magic == LogFormat.magic, framePosition == position else { break }
                if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
                let read = buffer.withUnsafeMutableBytes {
                    pread(fd, $0.baseAddress, length, off_t(position - start) + off_t(LogFormat.headerSize))
                }
                guard read == length else { break }
                let valid = buffer.withUnsafeBytes { raw -> Bool in
                    Self.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<length])) == checksum
                }
                guard valid else { break }
                var failure: StoreError?
                buffer.withUnsafeBytes { raw in
                    do throws(StoreError) {
                        try body(UnsafeRawBufferPointer(rebasing: raw[0..<length]), position + Int64(LogFormat.headerSize))
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
                position += Int64(AlignedBuffer.roundUp(LogFormat.headerSize + length))
            }
            // A frame failed to check out: nothing after it was acknowledged.
            if index + 1 < starts.count, position < starts[index + 1] {
                return position
            }
        }
        return position
    }

    /// Opens the log for appending at `position` (what `scan` returned): cuts off a torn tail
    /// and any segment after it.
    func openForAppend(at position: Int64) throws(StoreError) {
        let starts = segmentStarts
        // Segments that begin at or past the end hold nothing acknowledged.
        let kept = starts.filter { $0 < position }
        for start in starts where start >= position {
            closeReader(start)
            unlink(segmentPath(start))
        }
        let start = kept.last ?? position
        segments.withLock { $0.starts = kept.isEmpty ? [position] : kept }
        try openWriter(segmentStart: start)
        guard ftruncate(writer, off_t(position - start)) == 0 else {
            throw .database("event log: cannot truncate \(segmentPath(start)): \(Self.lastError())")
        }
        preparer.use(path: segmentPath(start), size: position - start, limit: segmentBytes, direct: isDirect)
        // The segment may have just been created (or segments removed): make the directory
        // durable before anything written into it is acknowledged.
        syncDirectory()
        endPosition = position
    }

    // MARK: Appending

    /// Writes `frame` (built from `endPosition`, padded to a block) and syncs it to disk. When
    /// this returns, the frame survives a crash or power loss.
    func append(_ frame: AlignedBuffer) throws(StoreError) {
        if let broken { throw .database(broken) }
        precondition(frame.count % LogFormat.blockSize == 0)
        if endPosition - writerStart >= segmentBytes {
            try startSegment(at: endPosition)
        }
        let offset = endPosition - writerStart
        let end = offset + Int64(frame.count)
        // The descriptor is O_DSYNC: the write returns once the frame is on stable storage,
        // and into blocks written before (by the preparer) it needs no metadata update, so
        // there is no separate fdatasync (under load that halved the time a frame takes).
        preparer.willWrite(from: offset, to: end)
        var written = write(frame, at: off_t(offset))
        if written < 0, errno == EINVAL, isDirect {
            // The file system took O_DIRECT at open but refuses it for writes: buffered,
            // synchronous writes from now on.
            try openWriter(segmentStart: writerStart, direct: false)
            preparer.use(path: segmentPath(writerStart), size: offset, limit: segmentBytes, direct: false)
            preparer.willWrite(from: offset, to: end)
            written = write(frame, at: off_t(offset))
        }
        guard written == frame.count else {
            let reason = "event log: write failed: \(Self.lastError())"
            // Cut the partial frame off so the next frame lands where recovery expects it.
            if ftruncate(writer, off_t(offset)) != 0 || fdatasync(writer) != 0 { broken = reason }
            preparer.truncated(to: offset)
            throw .database(reason)
        }
        preparer.didWrite(through: end)
        endPosition += Int64(frame.count)
    }

    /// How far the current segment is written (frames or zeros), for tests.
    var preparedEnd: Int64 { preparer.preparedEnd }

    private func write(_ frame: AlignedBuffer, at offset: off_t) -> Int {
        var done = 0
        while done < frame.count {
            let result = pwrite(writer, frame.base + done, frame.count - done, offset + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                return -1
            }
            done += result
        }
        return done
    }

    private func startSegment(at position: Int64) throws(StoreError) {
        try openWriter(segmentStart: position)
        preparer.use(path: segmentPath(position), size: openedSize, limit: segmentBytes, direct: isDirect)
        segments.withLock { $0.starts.append(position) }
        // The new file's directory entry must be durable before anything in it is acknowledged.
        syncDirectory()
    }

    private func syncDirectory() {
        let dir = open(directory, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            Glibc.close(dir)
        }
    }

    private func openWriter(segmentStart: Int64, direct: Bool = true) throws(StoreError) {
        if writer >= 0 { Glibc.close(writer) }
        let path = segmentPath(segmentStart)
        var fd: Int32 = -1
        if direct {
            fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_DSYNC | Self.directFlag, 0o644)
        }
        isDirect = fd >= 0
        if fd < 0 { fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_DSYNC, 0o644) }
        guard fd >= 0 else { throw .database("event log: cannot open \(path): \(Self.lastError())") }
        writer = fd
        writerStart = segmentStart
        var status = stat()
        openedSize = fstat(fd, &status) == 0 ? Int64(status.st_size) : 0
    }

    // MARK: Reading

    /// `count` bytes at `position` (an event's document and original).
    func read(position: Int64, count: Int) throws(StoreError) -> [UInt8] {
        try read(position: position, lengths: count, 0).0
    }

    /// Two adjacent byte ranges (an event's document and original) read in one system call
    /// straight into their own arrays: reading both into one zero-filled array and copying each
    /// part out was three passes over the bytes, where the detection pipeline reads every event
    /// it catches up on.
    func read(position: Int64, lengths first: Int, _ second: Int) throws(StoreError) -> ([UInt8], [UInt8]) {
        let count = first + second
        guard count > 0 else { return ([], []) }
        let (fd, start, owned) = try descriptor(for: position)
        defer { if owned { Glibc.close(fd) } }
        let offset = off_t(position - start)
        var got = 0
        var secondBytes: [UInt8] = []
        let firstBytes = [UInt8](unsafeUninitializedCapacity: first) { firstBuffer, firstCount in
            secondBytes = [UInt8](unsafeUninitializedCapacity: second) { secondBuffer, secondCount in
                got = Self.readFully(fd, at: offset, into: [
                    UnsafeMutableRawBufferPointer(firstBuffer), UnsafeMutableRawBufferPointer(secondBuffer),
                ])
                secondCount = second
            }
            firstCount = first
        }
        guard got == count else { throw .database("event log: short read at \(position): \(got) of \(count) bytes") }
        return (firstBytes, secondBytes)
    }

    /// Where one event's bytes are: its document (`first` bytes at `position`), then its
    /// original (`second` bytes) right after it.
    struct ByteSpan: Sendable, Equatable {
        var position: Int64
        var first: Int
        var second: Int

        var end: Int64 { position + Int64(first + second) }
    }

    /// Spans this close together are read by one call, the bytes between them (a frame's
    /// per-event header) read and dropped.
    static let maxSpanGap: Int64 = 512
    /// One call reads at most this much.
    static let maxGroupBytes = 256 << 10

    /// The bytes of many events, in the order given, with as few system calls as their layout
    /// allows: in log order, spans that follow one another in one segment, at most
    /// `maxSpanGap` apart, are read together into a scratch buffer and copied out. The detection
    /// pipeline catching up on a backlog, and a page of `GET /v1/events` (newest first), read
    /// every event with a call of its own, which cost more than the copying. A span far from
    /// the one before it or bigger than `maxGroupBytes` is read alone.
    func read(_ spans: [ByteSpan]) throws(StoreError) -> [([UInt8], [UInt8])] {
        if zip(spans, spans.dropFirst()).allSatisfy({ $0.position <= $1.position }) { return try readInLogOrder(spans) }
        let order = spans.indices.sorted { spans[$0].position < spans[$1].position }
        let sorted = try readInLogOrder(order.map { spans[$0] })
        var out = [([UInt8], [UInt8])](repeating: ([], []), count: spans.count)
        for (rank, index) in order.enumerated() { out[index] = sorted[rank] }
        return out
    }

    private func readInLogOrder(_ spans: [ByteSpan]) throws(StoreError) -> [([UInt8], [UInt8])] {
        var out: [([UInt8], [UInt8])] = []
        out.reserveCapacity(spans.count)
        var scratch: UnsafeMutableRawBufferPointer?
        defer { scratch?.deallocate() }
        var index = 0
        while index < spans.count {
            let head = spans[index]
            let segment = segmentStart(for: head.position)
            var last = index
            while last + 1 < spans.count {
                let next = spans[last + 1]
                guard next.position >= spans[last].end, next.position - spans[last].end <= Self.maxSpanGap,
                      next.end - head.position <= Int64(Self.maxGroupBytes),
                      segmentStart(for: next.position) == segment else { break }
                last += 1
            }
            if last == index {
                out.append(try read(position: head.position, lengths: head.first, head.second))
                index += 1
                continue
            }
            let buffer = scratch ?? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.maxGroupBytes, alignment: 16)
            scratch = buffer
            let count = Int(spans[last].end - head.position)
            let (fd, start, owned) = try descriptor(for: head.position)
            let got = Self.readFully(fd, at: off_t(head.position - start), into: [UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])])
            if owned { Glibc.close(fd) }
            guard got == count else { throw .database("event log: short read at \(head.position): \(got) of \(count) bytes") }
            for span in spans[index...last] {
                let offset = Int(span.position - head.position)
                out.append((Self.copy(buffer, from: offset, count: span.first), Self.copy(buffer, from: offset + span.first, count: span.second)))
            }
            index = last + 1
        }
        return out
    }

    private static func copy(_ buffer: UnsafeMutableRawBufferPointer, from offset: Int, count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
            if count > 0 { UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])) }
            initialized = count
        }
    }

    /// The start of the segment holding `position` (nil before the first).
    private func segmentStart(for position: Int64) -> Int64? { locate(position).start }

    /// The segment holding `position`, and whether it is one of the newest (whose read
    /// descriptors stay open).
    private func locate(_ position: Int64) -> (start: Int64?, recent: Bool) {
        segments.withLock { state -> (Int64?, Bool) in
            var low = 0
            var high = state.starts.count - 1
            var found: Int64?
            while low <= high {
                let middle = (low + high) / 2
                if state.starts[middle] <= position {
                    found = state.starts[middle]
                    low = middle + 1
                } else {
                    high = middle - 1
                }
            }
            // Reads of the newest segments (the detection pipeline, recent GETs) keep their
            // descriptor open; an old segment is opened for the one read, so a store of many
            // segments never holds a descriptor per segment.
            return (found, low - 1 >= state.starts.count - Self.cachedReaders)
        }
    }

    /// Fills `parts` (consecutive in the file from `offset`) with preadv, continuing after a
    /// short read. Returns the bytes read (less than asked only at end of file or on an error).
    private static func readFully(_ fd: Int32, at offset: off_t, into parts: [UnsafeMutableRawBufferPointer]) -> Int {
        var vectors = parts.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        var done = 0
        while true {
            let result = preadv(fd, &vectors, Int32(vectors.count), offset + off_t(done))
            if result < 0, errno == EINTR { continue }
            if result <= 0 { return done }
            done += result
            // Drop what was filled; continue into the rest.
            var skip = result
            while let head = vectors.first, skip >= head.iov_len {
                skip -= head.iov_len
                vectors.removeFirst()
            }
            if vectors.isEmpty { return done }
            vectors[0].iov_base = vectors[0].iov_base.map { $0 + skip }
            vectors[0].iov_len -= skip
        }
    }

    /// The descriptor to read `position` with, the start of its segment, and whether the caller
    /// must close it.
    private func descriptor(for position: Int64) throws(StoreError) -> (fd: Int32, start: Int64, owned: Bool) {
        let (start, recent) = locate(position)
        guard let start else { throw .database("event log: no segment holds position \(position)") }
        if recent { return (try readDescriptor(start), start, false) }
        let fd = open(segmentPath(start), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .database("event log: cannot open \(segmentPath(start)): \(Self.lastError())") }
        return (fd, start, true)
    }

    /// How many of the newest segments keep a read descriptor open.
    static let cachedReaders = 8

    private func readDescriptor(_ start: Int64) throws(StoreError) -> Int32 {
        let path = segmentPath(start)
        return try segments.withLock { state throws(StoreError) -> Int32 in
            if let fd = state.readers[start] { return fd }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .database("event log: cannot open \(path): \(Self.lastError())") }
            state.readers[start] = fd
            return fd
        }
    }

    private func closeReader(_ start: Int64) {
        segments.withLock { state in
            if let fd = state.readers.removeValue(forKey: start) { Glibc.close(fd) }
        }
    }

    func close() {
        preparer.stop()
        if writer >= 0 {
            Glibc.close(writer)
            writer = -1
        }
        segments.withLock { state in
            for fd in state.readers.values { Glibc.close(fd) }
            state.readers.removeAll()
        }
    }

    // MARK: Names

    func segmentPath(_ start: Int64) -> String {
        let digits = String(start)
        return directory + "/" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".seg"
    }

    private static func start(ofSegment name: String) -> Int64? {
        guard name.hasSuffix(".seg"), name.count == 24 else { return nil }
        return Int64(name.prefix(20))
    }

    /// A frame payload's checksum: the low 32 bits of its XXH64.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { UInt32(truncatingIfNeeded: XXH64.hash(bytes)) }

    private static func lastError() -> String { String(cString: strerror(errno)) }

    /// O_DIRECT: a GNU extension Glibc's Swift module does not export, and its value differs by
    /// architecture (asm-generic 040000; arm and arm64 0200000).
    static var directFlag: Int32 {
        #if arch(arm64) || arch(arm)
        return 0o200000
        #else
        return 0o40000
        #endif
    }
}
