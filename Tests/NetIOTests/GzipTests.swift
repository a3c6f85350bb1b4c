import CZlib
import Foundation
import NetIO
import Testing

@Suite("Gzip")
struct GzipTests {
    @Test(arguments: [0, 1, 1_000, 65_536, 300_001])
    func roundTrip_randomData(size: Int) throws {
        let input = (0..<size).map { _ in UInt8.random(in: 0...255) }
        for level: Int32 in [0, 1, 6, 9] {
            let compressed = Gzip.compress(input, level: level)
            #expect(compressed.starts(with: [0x1f, 0x8b]))  // RFC 1952 §2.3.1 ID1 ID2
            #expect(try Gzip.decompress(compressed, maxOutputBytes: size) == input)
        }
    }

    @Test func roundTrip_emptyInput() throws {
        let compressed = Gzip.compress([UInt8]())
        #expect(compressed.count >= 18)  // header + empty deflate block + CRC32 + ISIZE
        #expect(try Gzip.decompress(compressed, maxOutputBytes: 0) == [])
    }

    @Test func compress_outOfRangeLevelIsClampedNotFatal() throws {
        let input = Array("clamped".utf8)
        #expect(try Gzip.decompress(Gzip.compress(input, level: 42), maxOutputBytes: 100) == input)
        #expect(try Gzip.decompress(Gzip.compress(input, level: -1), maxOutputBytes: 100) == input)
    }

    @Test func decompress_knownBytesFromGzipCommand() throws {
        // `echo hello | gzip -n`
        let bytes: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48,
            0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00,
            0x00, 0x00,
        ]
        #expect(try Gzip.decompress(bytes, maxOutputBytes: 100) == Array("hello\n".utf8))
    }

    @Test func interoperatesWithSystemGzip() throws {
        let text = Array(String(repeating: "MWRASP detection event; ", count: 5_000).utf8)
        let directory = NSTemporaryDirectory() + "mwrasp-gzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // Their compressor, our decompressor.
        let plainPath = directory + "/plain.txt"
        try Data(text).write(to: URL(fileURLWithPath: plainPath))
        let theirs = try runGzip(["-c", "-9", plainPath])
        #expect(try Gzip.decompress(theirs, maxOutputBytes: text.count) == text)

        // Our compressor, their decompressor.
        let oursPath = directory + "/ours.gz"
        try Data(Gzip.compress(text)).write(to: URL(fileURLWithPath: oursPath))
        #expect(try runGzip(["-d", "-c", oursPath]) == text)
    }

    @Test func decompress_concatenatedMembers() throws {
        // RFC 1952 §2.2: a gzip file is a series of members, decoded back to back.
        let parts = [Array("first member, ".utf8), [], Array("second, ".utf8), Array("third".utf8)]
        let joined = parts.flatMap { Gzip.compress($0) }
        #expect(try Gzip.decompress(joined, maxOutputBytes: 1_000) == parts.flatMap { $0 })
    }

    @Test func decompress_truncatedInput_isCorrupt() {
        let compressed = Gzip.compress((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        for cut in [1, 5, 10, 11, compressed.count / 2, compressed.count - 8, compressed.count - 1] {
            #expect(isCorrupt { try Gzip.decompress(Array(compressed[0..<cut]), maxOutputBytes: 1 << 20) }, "cut at \(cut)")
        }
    }

    @Test func decompress_garbage_isCorrupt() {
        let valid = Gzip.compress(Array("payload".utf8))
        #expect(isCorrupt { try Gzip.decompress([UInt8](), maxOutputBytes: 100) })
        #expect(isCorrupt { try Gzip.decompress(Array("GET / HTTP/1.1\r\n".utf8), maxOutputBytes: 100) })
        #expect(isCorrupt { try Gzip.decompress((0..<4_096).map { _ in UInt8.random(in: 0...255) }, maxOutputBytes: 1 << 20) })
        // Trailing garbage after a complete member is not a second member.
        #expect(isCorrupt { try Gzip.decompress(valid + Array("junk".utf8), maxOutputBytes: 100) })
        #expect(isCorrupt { try Gzip.decompress(valid + [0], maxOutputBytes: 100) })
        // A flipped CRC32 byte (trailer) is detected.
        var badCRC = valid
        badCRC[badCRC.count - 8] ^= 0xff
        #expect(isCorrupt { try Gzip.decompress(badCRC, maxOutputBytes: 100) })
        // A raw zlib stream (RFC 1950) is not gzip.
        #expect(isCorrupt { try Gzip.decompress([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01], maxOutputBytes: 100) })
    }

    @Test func decompress_capIsInclusive() throws {
        let input = [UInt8](repeating: 0x41, count: 100_000)
        let compressed = Gzip.compress(input)
        #expect(try Gzip.decompress(compressed, maxOutputBytes: 100_000) == input)
        #expect(throws: GzipError.outputTooLarge(limit: 99_999)) {
            _ = try Gzip.decompress(compressed, maxOutputBytes: 99_999)
        }
        #expect(throws: GzipError.outputTooLarge(limit: 0)) {
            _ = try Gzip.decompress(compressed, maxOutputBytes: 0)
        }
    }

    @Test func zipBomb_stopsAtCap() throws {
        let bomb = Self.gzipOfZeros(count: 50 << 20)  // 50 MiB of zeros in one ~50 KB member
        #expect(bomb.count < 100_000)
        let start = ContinuousClock.now
        #expect(throws: GzipError.outputTooLarge(limit: 1 << 20)) {
            _ = try Gzip.decompress(bomb, maxOutputBytes: 1 << 20)
        }
        // It stops after about 1 MiB of output instead of inflating all 50.
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func zipBomb_ofConcatenatedMembers_stopsAtCapWithBoundedMemory() throws {
        // 1 GiB of zeros from ~1 MB: 1024 members of 1 MiB each (RFC 1952 §2.2 allows a series).
        let member = Gzip.compress([UInt8](repeating: 0, count: 1 << 20))
        let bomb = Array([[UInt8]](repeating: member, count: 1024).joined())
        let before = Self.peakResidentBytes()
        #expect(throws: GzipError.outputTooLarge(limit: 1 << 20)) {
            _ = try Gzip.decompress(bomb, maxOutputBytes: 1 << 20)
        }
        // Inflating it all would raise peak RSS by over 1 GiB; the cap plus one 64 KiB chunk is
        // ~1.1 MiB. Peak RSS is process-wide and tests run in parallel, so the bound is loose.
        let growth = Self.peakResidentBytes() - before
        #expect(growth < 256 << 20, "peak RSS grew by \(growth) bytes")
    }

    // MARK: Helpers

    private func isCorrupt(_ body: () throws -> [UInt8]) -> Bool {
        do {
            _ = try body()
            return false
        } catch {
            if case .corruptData? = error as? GzipError { return true }
            return false
        }
    }

    /// Deflates `count` zeros one MiB at a time, so the test itself never holds the output.
    static func gzipOfZeros(count: Int) -> [UInt8] {
        var stream = z_stream()
        precondition(mwrasp_deflateInit2(&stream, 9, 15 + 16) == Z_OK)
        defer { deflateEnd(&stream) }
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var output: [UInt8] = []
        var remaining = count
        repeat {
            let take = min(remaining, zeros.count)
            remaining -= take
            let flush = remaining == 0 ? Z_FINISH : Z_NO_FLUSH
            zeros.withUnsafeBytes { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(take)
                repeat {
                    let produced = scratch.withUnsafeMutableBytes { out -> Int in
                        stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                        stream.avail_out = uInt(out.count)
                        _ = deflate(&stream, flush)
                        return out.count - Int(stream.avail_out)
                    }
                    output += scratch[0..<produced]
                } while stream.avail_out == 0
            }
        } while remaining > 0
        return output
    }

    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024  // Linux reports KiB
    }

    private func runGzip(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(data)
    }
}
