import Foundation
import Glibc

/// Zero-fills the event log's current segment ahead of its frames, on a thread of its own.
///
/// Why: an O_DSYNC frame write into blocks the file already has needs no metadata update, so
/// it costs one device write; into new blocks it also waits for a journal commit. The segment
/// is therefore written with zeros ahead of the frames (recovery reads zeros as the end of the
/// log). That used to happen on the writer's path, 16 MiB at a time: every ~16 MiB of frames
/// one append waited 12-27 ms for it, and every event acknowledged behind it waited too (seen
/// as the p99 of the append, of POST /v1/events and of detection latency). Here the zeros are
/// written by this thread, 1 MiB at a time, up to `lead` bytes ahead of the newest frame.
///
/// The one rule that keeps frames safe: this thread never writes where a frame is or will be.
/// The writer announces each frame's end (`frontier`) before writing it, under the lock, and
/// waits for a zero chunk already under way over its frame's bytes; a chunk is only started at
/// or past the frontier. If this thread falls behind (a new segment, a slow disk) the writer
/// does not wait for it: the frame goes into new blocks, durable as before, only slower.
final class SegmentPreparer: @unchecked Sendable {
    /// How far ahead of the newest frame zeros are kept.
    let lead: Int64
    /// The size of one zero write.
    static let chunk = 1 << 20

    private struct State {
        /// This thread's descriptor for the current segment (-1: nothing to prepare).
        var fd: Int32 = -1
        var path = ""
        /// Zeros are not written at or past this offset (the segment's size).
        var limit: Int64 = 0
        /// Where the writer's newest frame ends (or will end): zeros only go at or past it.
        var frontier: Int64 = 0
        /// The file is written (frames or zeros) up to here; never below `frontier`.
        var prepared: Int64 = 0
        /// The zero write under way, if any.
        var inFlight: Range<Int64>?
        /// Bumped when the segment changes, so a chunk finished for the old one is not counted.
        var generation = 0
        var stopping = false
        var running = false
    }

    private let condition = NSCondition()
    private var state = State()
    private let zeros: AlignedBuffer

    init(lead: Int64 = 32 << 20) {
        self.lead = lead
        zeros = AlignedBuffer(capacity: Self.chunk)
        zeros.base.initializeMemory(as: UInt8.self, repeating: 0, count: zeros.capacity)
    }

    /// Starts preparing `path` (the writer's new segment, already written up to `size`) with a
    /// descriptor of its own, opened with the writer's flags. Waits for a chunk under way.
    func use(path: String, size: Int64, limit: Int64, direct: Bool) {
        condition.lock()
        defer { condition.unlock() }
        waitForChunk()
        if state.fd >= 0 { Glibc.close(state.fd) }
        state.fd = Self.open(path, direct: direct)
        state.path = path
        state.limit = limit
        state.frontier = size
        state.prepared = size
        state.generation += 1
        if !state.running, state.fd >= 0 {
            state.running = true
            let thread = Thread { [self] in run() }
            thread.name = "mwrasp-log-prepare"
            thread.start()
        }
        condition.broadcast()
    }

    /// The writer is about to write a frame over `offset..<end`: no zeros will be written there
    /// from now on, and a zero chunk under way over it is waited for (one 1 MiB write at most).
    func willWrite(from offset: Int64, to end: Int64) {
        condition.lock()
        defer { condition.unlock() }
        state.frontier = max(state.frontier, end)
        while let chunk = state.inFlight, chunk.lowerBound < end, chunk.upperBound > offset {
            condition.wait()
        }
    }

    /// The frame is written (through `end`), or was cut off at `end` after a failed write.
    func didWrite(through end: Int64) {
        condition.lock()
        state.frontier = end
        state.prepared = max(state.prepared, end)
        // The preparer may be waiting for the frames to move on (it keeps `lead` ahead).
        condition.signal()
        condition.unlock()
    }

    /// The writer cut the file back to `size` (a failed write): prepare again from there.
    func truncated(to size: Int64) {
        condition.lock()
        waitForChunk()
        state.frontier = size
        state.prepared = size
        condition.broadcast()
        condition.unlock()
    }

    /// How far the file is written, for tests.
    var preparedEnd: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return state.prepared
    }

    /// Stops the thread (after the chunk under way) and closes its descriptor.
    func stop() {
        condition.lock()
        state.stopping = true
        condition.broadcast()
        while state.running { condition.wait() }
        if state.fd >= 0 { Glibc.close(state.fd) }
        state.fd = -1
        condition.unlock()
    }

    private func waitForChunk() {
        while state.inFlight != nil { condition.wait() }
    }

    private func run() {
        condition.lock()
        defer {
            state.running = false
            condition.broadcast()
            condition.unlock()
        }
        while !state.stopping {
            let start = max(state.prepared, state.frontier)
            guard state.fd >= 0, start < state.limit, start - state.frontier < lead else {
                condition.wait()
                continue
            }
            let end = min(start + Int64(Self.chunk), state.limit)
            let (fd, generation) = (state.fd, state.generation)
            state.inFlight = start..<end
            condition.unlock()
            let result = writeZeros(fd, count: Int(end - start), at: start)
            condition.lock()
            state.inFlight = nil
            condition.broadcast()
            guard generation == state.generation else { continue }
            switch result {
            case .written:
                state.prepared = max(state.prepared, end)
            case .refusedDirect:
                // The file system takes O_DIRECT at open but not for this write: buffered,
                // synchronous writes from now on (as the writer falls back to).
                Glibc.close(state.fd)
                state.fd = Self.open(state.path, direct: false)
            case .failed:
                // A full disk, say: leave preparing to the writer's own writes (each frame then
                // allocates its blocks), and try again with the next segment.
                Glibc.close(state.fd)
                state.fd = -1
            }
        }
    }

    private enum WriteResult { case written, refusedDirect, failed }

    private func writeZeros(_ fd: Int32, count: Int, at offset: Int64) -> WriteResult {
        var done = 0
        while done < count {
            let result = pwrite(fd, zeros.base, count - done, off_t(offset) + off_t(done))
            if result < 0, errno == EINTR { continue }
            if result < 0, errno == EINVAL { return .refusedDirect }
            guard result > 0 else { return .failed }
            done += result
        }
        return .written
    }

    private static func open(_ path: String, direct: Bool) -> Int32 {
        if direct {
            let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC | O_DSYNC | EventLog.directFlag)
            if fd >= 0 { return fd }
        }
        return Glibc.open(path, O_WRONLY | O_CLOEXEC | O_DSYNC)
    }
}
