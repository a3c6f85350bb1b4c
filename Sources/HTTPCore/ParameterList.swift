/// `*( OWS ";" OWS name [ OWS "=" OWS ( token / quoted-string ) ] )`: chunk extensions
/// (RFC 9112 §7.1.1) and transfer-coding parameters (RFC 9110 §10.1.4, value required).
enum ParameterList {
    /// True when `bytes[from...]` is exactly such a list (possibly empty). Whitespace is only
    /// allowed before a ";" or around "=", never trailing.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, valueRequired: Bool) -> Bool {
        let end = bytes.count
        var index = from
        while true {
            let beforeSpace = index
            while index < end, ASCII.isWhitespace(bytes[index]) { index &+= 1 }
            if index == end { return index == beforeSpace }
            guard bytes[index] == ASCII.semicolon else { return false }
            index &+= 1
            while index < end, ASCII.isWhitespace(bytes[index]) { index &+= 1 }

            let nameStart = index
            while index < end, ASCII.isTChar(bytes[index]) { index &+= 1 }
            guard index > nameStart else { return false }

            var afterName = index
            while afterName < end, ASCII.isWhitespace(bytes[afterName]) { afterName &+= 1 }
            guard afterName < end, bytes[afterName] == ASCII.equals else {
                if valueRequired { return false }
                continue
            }
            index = afterName &+ 1
            while index < end, ASCII.isWhitespace(bytes[index]) { index &+= 1 }
            guard index < end else { return false }
            if bytes[index] == ASCII.quote {
                guard let closed = endOfQuotedString(bytes, from: index) else { return false }
                index = closed
            } else {
                let valueStart = index
                while index < end, ASCII.isTChar(bytes[index]) { index &+= 1 }
                guard index > valueStart else { return false }
            }
        }
    }

    /// Index after the closing DQUOTE of the quoted-string opening at `from` (RFC 9110 §5.6.4).
    static func endOfQuotedString(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let end = bytes.count
        var index = from &+ 1
        while index < end {
            let byte = bytes[index]
            if byte == ASCII.quote { return index &+ 1 }
            if byte == ASCII.backslash {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                index &+= 1
                guard index < end, ASCII.isFieldValueByte(bytes[index]) else { return nil }
            } else if !ASCII.isFieldValueByte(byte) {
                return nil
            }
            index &+= 1
        }
        return nil
    }
}
