/// The chunked transfer coding (RFC 9112 §7.1).
extension HTTPRequestParser {
    /// chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; last-chunk = 1*("0") [ chunk-ext ] CRLF.
    mutating func startChunk(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var index = 0
        var size = 0
        while index < line.count, let digit = ASCII.hexValue(line[index]) {
            // Leading zeros count: see HTTPParserLimits.maxChunkSizeHexDigits.
            guard index < limits.maxChunkSizeHexDigits else {
                throw .badRequest("chunk size has more than \(limits.maxChunkSizeHexDigits) hex digits")
            }
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            guard !overflow else { throw .badRequest("chunk size overflows") }
            size = shifted | digit
            index &+= 1
        }
        guard index > 0 else { throw .badRequest("invalid chunk size") }
        // Extensions are parsed so that garbage is refused, then ignored (§7.1.1).
        guard ParameterList.isValid(line, from: index, valueRequired: false) else {
            throw .badRequest("invalid chunk extension")
        }

        if size == 0 {
            state = .trailers
            return
        }
        // Refused at the size line, before a byte of the chunk is read.
        guard size <= limits.maxBodyBytes &- chunkedBodyBytes else { throw .payloadTooLarge }
        chunkedBodyBytes &+= size
        state = .chunkData(remaining: size)
    }

    /// The CRLF after chunk-data; anything else means the sender and we disagree on the chunk's
    /// length, which is exactly what smuggling exploits, so it is an error, not a resync.
    mutating func consumeChunkDataEnd(_ buffer: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Bool {
        let available = buffer.count &- readIndex
        guard available >= 1 else { return false }
        guard buffer[readIndex] == ASCII.cr else {
            throw .badRequest("chunk data is not followed by CRLF")
        }
        guard available >= 2 else { return false }
        guard buffer[readIndex &+ 1] == ASCII.lf else {
            throw .badRequest("chunk data is not followed by CRLF")
        }
        readIndex &+= 2
        return true
    }
}
