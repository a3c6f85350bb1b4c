/// Reading the fields that decide framing and connection handling, straight from the bytes.
extension RequestHeadBuilder {
    mutating func recordFramingField(
        name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>
    ) throws(HTTPParseError) {
        switch name.count {
        case 4 where ASCII.equalsLowercase(name, "host"):
            try recordHost(value)
        case 6 where ASCII.equalsLowercase(name, "expect"):
            var elements = ListElements(value)
            while let element = elements.next() {
                if ASCII.equalsLowercase(element, "100-continue") { expectsContinue = true }
            }
        case 10 where ASCII.equalsLowercase(name, "connection"):
            var elements = ListElements(value)
            while let element = elements.next() {
                if ASCII.equalsLowercase(element, "close") {
                    connectionClose = true
                } else if ASCII.equalsLowercase(element, "keep-alive") {
                    connectionKeepAlive = true
                }
            }
        case 14 where ASCII.equalsLowercase(name, "content-length"):
            try recordContentLength(value)
        case 17 where ASCII.equalsLowercase(name, "transfer-encoding"):
            try recordTransferEncoding(value)
        default:
            break
        }
    }

    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2); an empty value is allowed.
    mutating func recordHost(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        hostCount &+= 1
        for byte in value where !ASCII.isAuthorityByte(byte) {
            throw .badRequest("invalid Host header field value")
        }
    }

    /// Content-Length = 1*DIGIT. A list or repeated fields whose elements all agree count as one
    /// value (RFC 9110 §8.6); anything else is refused, since another hop may pick another value.
    mutating func recordContentLength(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var elements = ListElements(value)
        while let element = elements.next() {
            guard !element.isEmpty else { throw .badRequest("invalid Content-Length value") }
            var length = 0
            for byte in element {
                guard ASCII.isDigit(byte) else { throw .badRequest("invalid Content-Length value") }
                let (shifted, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte &- 0x30))
                guard !overflow1, !overflow2 else { throw .badRequest("Content-Length value overflows") }
                length = sum
            }
            if let contentLength, contentLength != length {
                throw .badRequest("conflicting Content-Length values")
            }
            contentLength = length
        }
    }

    /// Transfer-Encoding = #transfer-coding (RFC 9112 §6.1), across repeated fields in order.
    mutating func recordTransferEncoding(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        sawTransferEncoding = true
        var elements = ListElements(value)
        while let element = elements.next() {
            if element.isEmpty { continue }  // RFC 9110 §5.6.1: empty elements are ignored.
            var nameEnd = 0
            while nameEnd < element.count, ASCII.isTChar(element[nameEnd]) { nameEnd &+= 1 }
            guard nameEnd > 0,
                ParameterList.isValid(element, from: nameEnd, valueRequired: true)
            else { throw .badRequest("invalid Transfer-Encoding value") }
            let name = UnsafeBufferPointer(rebasing: element[0..<nameEnd])
            transferCodingCount &+= 1
            if ASCII.equalsLowercase(name, "chunked") {
                guard nameEnd == element.count else {
                    throw .badRequest("the chunked transfer coding takes no parameters")
                }
                chunkedCount &+= 1
                lastCodingIsChunked = true
            } else {
                lastCodingIsChunked = false
                if unsupportedCoding == nil {
                    unsupportedCoding = String(decoding: name.lazy.map(ASCII.lowercased), as: UTF8.self)
                }
            }
        }
    }
}
