/// RFC 3339 date-times and epoch numbers to milliseconds since the Unix epoch, and back.
/// Hand-written because Foundation's ISO8601DateFormatter is far too slow for the hot path
/// and rejects variants the senders use (nanosecond fractions from Alertmanager, a space
/// instead of `T`, `+0200` offsets).
public enum Timestamps {
    /// `2024-05-17T13:45:22.123Z`, `2024-05-17T15:45:22+02:00`, `2024-05-17 13:45:22.123456789`,
    /// `+0200` offsets. Any number of fraction digits (truncated to milliseconds). No offset
    /// means UTC (ISO 8601 local time has no zone to apply). Nil when it is not one of these.
    public static func parseRFC3339(_ text: some Collection<UInt8>) -> Int64? {
        if let result = text.withContiguousStorageIfAvailable({ parseRFC3339($0) }) { return result }
        return Array(text).withUnsafeBufferPointer { parseRFC3339($0) }
    }

    public static func parseRFC3339(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var p = text[...]
        func digits(_ n: Int) -> Int64? {
            guard p.count >= n else { return nil }
            var v: Int64 = 0
            for b in p.prefix(n) {
                guard b &- 48 < 10 else { return nil }
                v = v * 10 + Int64(b - 48)
            }
            p = p.dropFirst(n)
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard p.first == c else { return false }
            p = p.dropFirst()
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard let sep = p.first, sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == 0x20 else { return nil }
        p = p.dropFirst()
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2) else { return nil }
        var millis: Int64 = 0
        if p.first == UInt8(ascii: ".") || p.first == UInt8(ascii: ",") {
            p = p.dropFirst()
            var count = 0
            while let b = p.first, b &- 48 < 10 {
                if count < 3 { millis = millis * 10 + Int64(b - 48) }
                count += 1
                p = p.dropFirst()
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { millis *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if let b = p.first {
            if b == UInt8(ascii: "Z") || b == UInt8(ascii: "z") {
                p = p.dropFirst()
            } else if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                p = p.dropFirst()
                guard let oh = digits(2) else { return nil }
                _ = expect(58)
                guard let om = digits(2), oh < 24, om < 60 else { return nil }
                offsetMinutes = (oh * 60 + om) * (b == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard p.isEmpty, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour < 24, minute < 60, second <= 60 else { return nil }  // 60: leap second (RFC 3339 5.7)
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    /// Epoch seconds with an optional fraction (`1716000000`, `1716000000.123`, as Splunk HEC
    /// `time` and Splunk `_time` send) to milliseconds. Nil for other text.
    public static func parseEpochSeconds(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        parseEpochSeconds(text[...])
    }

    public static func parseEpochSeconds(_ text: some Collection<UInt8>) -> Int64? {
        var whole: Int64 = 0
        var millis: Int64 = 0
        var seenDot = false
        var fractionDigits = 0
        var count = 0
        for b in text {
            if b == UInt8(ascii: ".") && !seenDot { seenDot = true; continue }
            guard b &- 48 < 10 else { return nil }
            if seenDot {
                if fractionDigits < 3 { millis = millis * 10 + Int64(b - 48) }
                fractionDigits += 1
            } else {
                count += 1
                guard count <= 15 else { return nil }
                whole = whole * 10 + Int64(b - 48)
            }
        }
        guard count > 0 else { return nil }
        for _ in fractionDigits..<max(fractionDigits, 3) { millis *= 10 }
        return whole * 1000 + millis
    }

    /// A JSON number holding epoch time: seconds, or milliseconds when it is too large to be
    /// seconds (10^11 seconds is the year 5138; 10^11 ms is 1973). Exponents go through Double.
    public static func parseEpochNumber(_ text: some Collection<UInt8>) -> Int64? {
        let bytes = Array(text)
        if let ms = parseEpochSeconds(bytes) {
            return ms >= 100_000_000_000_000 ? ms / 1000 : ms
        }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite, value >= 0, value < 1e15 else {
            return nil
        }
        return value >= 1e11 ? Int64(value) : Int64(value * 1000)
    }

    /// `2024-05-17T13:45:22.123Z`: the form every document's `@timestamp` takes.
    public static func format(_ milliseconds: Int64, into out: inout [UInt8]) {
        var quoted = [UInt8](repeating: 0, count: 26)
        quoted.withUnsafeMutableBufferPointer { formatQuoted(milliseconds, into: $0.baseAddress.unsafelyUnwrapped) }
        out.append(contentsOf: quoted[1..<25])
    }

    /// Writes the timestamp quoted, exactly 26 bytes: `"2024-05-17T13:45:22.123Z"`.
    static func formatQuoted(_ milliseconds: Int64, into p: UnsafeMutablePointer<UInt8>) {
        let ms = milliseconds.modulo(1000)
        let totalSeconds = (milliseconds - ms) / 1000
        let secondOfDay = totalSeconds.modulo(86_400)
        let days = (totalSeconds - secondOfDay) / 86_400
        let (year, month, day) = civilFromDays(days)
        var i = 0
        @inline(__always) func put(_ byte: UInt8) { p[i] = byte; i += 1 }
        @inline(__always) func two(_ v: Int64) {
            put(UInt8(truncatingIfNeeded: 48 + v / 10)); put(UInt8(truncatingIfNeeded: 48 + v % 10))
        }
        let y = min(max(year, 0), 9999)
        put(UInt8(ascii: "\""))
        two(y / 100); two(y % 100); put(45); two(month); put(45); two(day)
        put(UInt8(ascii: "T"))
        two(secondOfDay / 3600); put(58); two(secondOfDay / 60 % 60); put(58); two(secondOfDay % 60)
        put(UInt8(ascii: "."))
        put(UInt8(truncatingIfNeeded: 48 + ms / 100)); two(ms % 100)
        put(UInt8(ascii: "Z"))
        put(UInt8(ascii: "\""))
    }

    public static func format(_ milliseconds: Int64) -> String {
        var out: [UInt8] = []
        format(milliseconds, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil: proleptic Gregorian date to days since 1970-01-01.
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Int64 {
    /// Euclidean remainder: pre-1970 instants (Alertmanager's 0001-01-01 `endsAt`) format right.
    fileprivate func modulo(_ n: Int64) -> Int64 {
        let r = self % n
        return r < 0 ? r + n : r
    }
}
