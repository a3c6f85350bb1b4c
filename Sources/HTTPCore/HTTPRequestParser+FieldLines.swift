/// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5), for the head and trailers.
extension HTTPRequestParser {
    /// Validates one field line; head fields are kept and their framing facts recorded,
    /// trailer fields are only validated and counted (§7.1.2: we merge none of them).
    mutating func parseFieldLine(_ line: UnsafeBufferPointer<UInt8>, isTrailer: Bool) throws(HTTPParseError) {
        fieldCount &+= 1
        guard fieldCount <= limits.maxHeaderCount else { throw .headerFieldsTooLarge }

        let end = line.count
        if ASCII.isWhitespace(line[0]) {
            // §2.2: whitespace before the first field could smuggle a line past a proxy;
            // §5.2: obs-fold must be refused by a server that does not unfold (we do not).
            throw .badRequest(
                !isTrailer && fieldCount == 1
                    ? "whitespace between the request line and the first header field"
                    : "obs-fold is not allowed")
        }

        var index = 0
        while index < end, ASCII.isTChar(line[index]) { index &+= 1 }
        guard index < end, line[index] == ASCII.colon else {
            throw .badRequest(fieldNameProblem(line, at: index))
        }
        guard index > 0 else { throw .badRequest("empty field name") }
        let nameEnd = index
        index &+= 1

        // OWS is not part of the value (§5.1).
        while index < end, ASCII.isWhitespace(line[index]) { index &+= 1 }
        var valueEnd = end
        while valueEnd > index, ASCII.isWhitespace(line[valueEnd &- 1]) { valueEnd &-= 1 }
        let valueStart = index
        if ASCII.firstInvalidFieldValueByte(in: line, from: valueStart, to: valueEnd) != nil {
            throw .badRequest("invalid character in field value")
        }
        if isTrailer { return }

        let name = UnsafeBufferPointer(rebasing: line[0..<nameEnd])
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        try head.recordFramingField(name: name, value: value)
        // Values are decoded as UTF-8, invalid sequences becoming U+FFFD: obs-text is allowed
        // on the wire but has no defined charset (RFC 9110 §5.5); UTF-8 is what clients send.
        head.fields.append(
            name: String(decoding: name, as: UTF8.self),
            value: String(decoding: value, as: UTF8.self))
    }

    /// The empty line ended the head: decide framing and set the state for the body.
    mutating func completeHead() throws(HTTPParseError) -> HTTPRequestHead {
        let result = try head.makeHead(limits: limits)
        switch result.bodyLength {
        case .none, .fixed(0): state = .endOfMessage
        case .fixed(let length): state = .fixedBody(remaining: length)
        case .chunked: state = .chunkSizeLine
        }
        return result
    }

    /// The most precise reason for a field name that stopped before a colon at `index`.
    func fieldNameProblem(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> String {
        guard index < line.count else { return "field line has no colon" }
        guard ASCII.isWhitespace(line[index]) else { return "invalid character in field name" }
        var after = index
        while after < line.count, ASCII.isWhitespace(line[after]) { after &+= 1 }
        // §5.1: no whitespace is allowed between the field name and the colon.
        return after < line.count && line[after] == ASCII.colon
            ? "whitespace before colon in field name" : "invalid character in field name"
    }
}
