import CZlib

extension Gzip {
    /// Compresses `input` into one gzip member. `level` is zlib's 0...9 (-1 = default, 6);
    /// out-of-range values are clamped rather than trapping, since this cannot fail otherwise.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let level = level == Z_DEFAULT_COMPRESSION ? level : min(max(level, 0), 9)
        guard mwrasp_deflateInit2(&stream, level, gzipWindowBits) == Z_OK else {
            preconditionFailure("deflateInit2 failed: zlib out of memory")
        }
        defer { deflateEnd(&stream) }

        // deflateBound is an upper bound for a single Z_FINISH call, so one allocation suffices.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        var consumed = 0
        var written = 0
        output.withUnsafeMutableBufferPointer { out in
            while true {
                if stream.avail_in == 0 && consumed < input.count, let base = input.baseAddress {
                    let slice = min(input.count - consumed, maxSliceSize)
                    stream.next_in = UnsafeMutablePointer(
                        mutating: (base + consumed).assumingMemoryBound(to: Bytef.self))
                    stream.avail_in = uInt(slice)
                    consumed += slice
                }
                let outSlice = min(out.count - written, maxSliceSize)
                stream.next_out = out.baseAddress! + written
                stream.avail_out = uInt(outSlice)
                let flush = consumed == input.count ? Z_FINISH : Z_NO_FLUSH
                let status = deflate(&stream, flush)
                written += outSlice - Int(stream.avail_out)
                if status == Z_STREAM_END { return }
                precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed: \(status)")
            }
        }
        output.removeSubrange(written...)
        return output
    }

    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }
}
