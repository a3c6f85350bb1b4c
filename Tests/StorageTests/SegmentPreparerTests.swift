import Foundation
import Testing
@testable import Storage

/// The event log's segment preparer: zeros written ahead of the frames on a thread of its own,
/// and never over a frame.
@Suite struct SegmentPreparerTests {
    /// Waits (bounded) until the preparer has written the current segment up to `target`.
    private static func waitForPrepared(_ log: EventLog, atLeast target: Int64) async throws {
        for _ in 0..<1_000 where log.preparedEnd < target {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private static func fileSize(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
    }

    /// Reopens the log in `directory` and reads every frame back: where the frames end, and
    /// their payloads in order.
    private static func readBack(_ directory: borrowing TemporaryDirectory, segmentBytes: Int64) throws -> (end: Int64, payloads: [[UInt8]]) {
        let log = try EventLog(directory: directory.path + "/log", segmentBytes: segmentBytes)
        defer { log.close() }
        var payloads: [[UInt8]] = []
        let end = try log.scan(from: 0) { payload, _ throws(StoreError) in payloads.append(Array(payload)) }
        return (end, payloads)
    }

    /// A log in `directory` opened for appending, holding one frame of `payload`, its first
    /// segment prepared to the end.
    private static func logWithOneFrame(_ directory: borrowing TemporaryDirectory, segmentBytes: Int64, _ payload: [UInt8]) async throws -> EventLog {
        let log = try EventLog(directory: directory.path + "/log", segmentBytes: segmentBytes)
        try log.openForAppend(at: 0)
        try EventLogTests.appendFrame(payload, to: log, using: AlignedBuffer())
        try await waitForPrepared(log, atLeast: segmentBytes)
        return log
    }

    @Test func zerosAreWrittenAheadOfTheFramesUpToTheSegmentsEnd() async throws {
        let directory = TemporaryDirectory()
        let segmentBytes: Int64 = 3 << 20
        let log = try await Self.logWithOneFrame(directory, segmentBytes: segmentBytes, [UInt8](repeating: 7, count: 5_000))
        #expect(log.preparedEnd == segmentBytes)
        let path = log.segmentPath(0)
        // Prepared means written: the file has its blocks, and stops at the segment's size.
        #expect(try Self.fileSize(path) == segmentBytes)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes[8192...].allSatisfy { $0 == 0 })
        log.close()
        // Zeros past the frames are the end of the log.
        let (end, payloads) = try Self.readBack(directory, segmentBytes: segmentBytes)
        #expect(end == 8192)
        #expect(payloads == [[UInt8](repeating: 7, count: 5_000)])
    }

    /// Frames written while the preparer writes zeros right beside them: 128 KiB segments roll
    /// over every few frames, and each new segment starts with the preparer and the writer at
    /// the same offset. Every frame reads back; zeros written over a frame would end the scan
    /// there (without the writer's frontier, ~300-1,100 of the 1,500 frames were found).
    @Test func framesWrittenBesideThePreparerAllSurvive() async throws {
        let directory = TemporaryDirectory()
        let segmentBytes: Int64 = 128 << 10
        let log = try EventLog(directory: directory.path + "/log", segmentBytes: segmentBytes)
        try log.openForAppend(at: 0)
        let frame = AlignedBuffer()
        var expected: [[UInt8]] = []
        for n in 0..<1_500 {
            let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: n % 251 + 1), count: 100 + (n * 1_237) % 12_000)
            try EventLogTests.appendFrame(payload, to: log, using: frame)
            expected.append(payload)
        }
        let written = log.endPosition
        log.close()
        let (end, payloads) = try Self.readBack(directory, segmentBytes: segmentBytes)
        #expect(end == written)
        #expect(payloads.count == expected.count)
        #expect(payloads == expected)
    }

    /// After a restart the preparer continues from where the frames end (the torn tail cut off),
    /// not from the old file's size.
    @Test func reopeningPreparesFromTheEndOfTheFrames() async throws {
        let directory = TemporaryDirectory()
        let segmentBytes: Int64 = 3 << 20
        try await Self.logWithOneFrame(directory, segmentBytes: segmentBytes, [UInt8](repeating: 1, count: 100)).close()

        let reopened = try EventLog(directory: directory.path + "/log", segmentBytes: segmentBytes)
        let end = try reopened.scan(from: 0) { _, _ throws(StoreError) in }
        try reopened.openForAppend(at: end)
        // Cut back to the frames, then zeros written again behind them.
        try EventLogTests.appendFrame([UInt8](repeating: 2, count: 100), to: reopened, using: AlignedBuffer())
        try await Self.waitForPrepared(reopened, atLeast: segmentBytes)
        #expect(reopened.preparedEnd == segmentBytes)
        reopened.close()
        let (frameEnd, payloads) = try Self.readBack(directory, segmentBytes: segmentBytes)
        #expect(frameEnd == 8192)
        #expect(payloads.map { $0[0] } == [1, 2])
    }
}
