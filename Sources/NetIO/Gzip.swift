import CZlib

/// One-shot gzip (RFC 1952) compression and bounded decompression over zlib.
public enum Gzip {
    /// windowBits 15 (32 KiB window, the maximum) + 16 selects the gzip wrapper instead of zlib's.
    static let gzipWindowBits: Int32 = 15 + 16
    /// Inflate writes into a scratch buffer of this size, so a bomb costs at most the cap plus
    /// this (plus zlib's fixed ~40 KiB of inflate state and window).
    static let inflateChunkSize = 64 * 1024
    /// `z_stream.avail_in`/`avail_out` are 32-bit; larger buffers are fed in slices of this size.
    static let maxSliceSize = 1 << 30

    /// Inflates a gzip body (concatenated members allowed, as RFC 1952 §2.2 permits); stops and
    /// throws `.outputTooLarge` as soon as output would pass `maxOutputBytes` (zip-bomb safe:
    /// never allocates beyond the cap + one chunk); truncated input or trailing garbage ->
    /// `.corruptData`. An empty input is not a gzip stream and is `.corruptData` too.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, maxOutputBytes: Int
    ) throws(GzipError) -> [UInt8] {
        guard let inputBase = input.baseAddress, !input.isEmpty else {
            throw .corruptData("empty input is not a gzip stream")
        }
        var stream = z_stream()
        guard mwrasp_inflateInit2(&stream, gzipWindowBits) == Z_OK else {
            throw .corruptData("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }

        let limit = max(0, maxOutputBytes)
        var output: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: inflateChunkSize)
        var consumed = 0
        // True once the current member ended and nothing of the next one was read yet.
        var atMemberBoundary = false
        // A full output buffer means inflate may hold more output even with no input left.
        var outputBufferWasFull = false

        while true {
            if stream.avail_in == 0 && consumed < input.count {
                let slice = min(input.count - consumed, maxSliceSize)
                // zlib never writes through next_in; the mutable cast is only for its C signature.
                stream.next_in = UnsafeMutablePointer(
                    mutating: (inputBase + consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(slice)
                consumed += slice
            }
            if stream.avail_in == 0 && !outputBufferWasFull {
                // All input used: fine only if the last member ended exactly here.
                if atMemberBoundary { return output }
                throw .corruptData("truncated gzip stream")
            }
            if atMemberBoundary {
                // RFC 1952 §2.2: a gzip file is a series of members; the next one starts here,
                // so anything that is not a gzip header (trailing garbage) fails below.
                guard inflateReset(&stream) == Z_OK else { throw .corruptData("inflateReset failed") }
                atMemberBoundary = false
            }

            let status = scratch.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = scratch.count - Int(stream.avail_out)
            outputBufferWasFull = stream.avail_out == 0
            if produced > 0 {
                // Checked before appending: the result never holds more than the cap.
                guard produced <= limit - output.count else { throw .outputTooLarge(limit: limit) }
                appendBounded(&output, scratch[0..<produced], limit: limit)
            }

            switch status {
            case Z_STREAM_END:
                atMemberBoundary = true
                outputBufferWasFull = false
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible without more input; the checks at the top decide.
                // (With input left and 64 KiB of room this cannot happen; never spin on it.)
                if stream.avail_in != 0 { throw .corruptData("inflate made no progress") }
                outputBufferWasFull = false
            case Z_NEED_DICT:
                throw .corruptData("gzip stream requires a preset dictionary")
            case Z_MEM_ERROR:
                throw .corruptData("zlib ran out of memory")
            default:
                throw .corruptData(zlibMessage(stream, fallback: "invalid gzip data (zlib \(status))"))
            }
        }
    }

    public static func decompress(_ input: [UInt8], maxOutputBytes: Int) throws(GzipError) -> [UInt8] {
        // withUnsafeBytes rethrows untyped, so carry the typed error out through a Result.
        let result = input.withUnsafeBytes { buffer in
            Result { () throws(GzipError) -> [UInt8] in
                try decompress(buffer, maxOutputBytes: maxOutputBytes)
            }
        }
        return try result.get()
    }

    /// Appends while growing capacity by doubling but never past `limit`, so Array's own growth
    /// policy cannot allocate far beyond the cap.
    private static func appendBounded(_ output: inout [UInt8], _ bytes: ArraySlice<UInt8>, limit: Int) {
        let needed = output.count + bytes.count
        if needed > output.capacity {
            output.reserveCapacity(min(max(needed, output.capacity * 2), limit))
        }
        output.append(contentsOf: bytes)
    }

    private static func zlibMessage(_ stream: z_stream, fallback: String) -> String {
        guard let message = stream.msg else { return fallback }
        return String(cString: message)
    }
}
