/// RFC 3339 UTC timestamps (`2024-05-17T13:45:22.123Z`) for the JSON shape of API.md, written
/// by hand so the module stays free of Foundation and of any clock: the model keeps
/// milliseconds since the Unix epoch and only its Codable conformance speaks text.
enum RFC3339 {
    /// Always UTC, always three fractional digits, so strings sort like the instants they name.
    static func format(_ milliseconds: Int64) -> String {
        let ms = floorMod(milliseconds, 1000)
        let seconds = (milliseconds - ms) / 1000
        let secondOfDay = floorMod(seconds, 86_400)
        let (year, month, day) = civil(fromDays: (seconds - secondOfDay) / 86_400)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
            + "." + pad(ms, 3) + "Z"
    }

    /// Appends `"` + `format(milliseconds)` + `"` as bytes without building a String, for the
    /// hand-written JSON encoder. Returns false (appending nothing) outside years 0...9999, where
    /// the caller falls back to `format`.
    static func append(_ milliseconds: Int64, to bytes: inout [UInt8]) -> Bool {
        let ms = floorMod(milliseconds, 1000)
        let seconds = (milliseconds - ms) / 1000
        let secondOfDay = floorMod(seconds, 86_400)
        let (year, month, day) = civil(fromDays: (seconds - secondOfDay) / 86_400)
        guard year >= 0, year <= 9999 else { return false }
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        @inline(__always) func digit(_ value: Int64) -> UInt8 { UInt8(truncatingIfNeeded: value) &+ 48 }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 26) { b in
            b[0] = 34
            b[1] = digit(year / 1000); b[2] = digit(year / 100 % 10); b[3] = digit(year / 10 % 10); b[4] = digit(year % 10)
            b[5] = 45; b[6] = digit(month / 10); b[7] = digit(month % 10)
            b[8] = 45; b[9] = digit(day / 10); b[10] = digit(day % 10)
            b[11] = 84; b[12] = digit(hour / 10); b[13] = digit(hour % 10)
            b[14] = 58; b[15] = digit(minute / 10); b[16] = digit(minute % 10)
            b[17] = 58; b[18] = digit(second / 10); b[19] = digit(second % 10)
            b[20] = 46; b[21] = digit(ms / 100); b[22] = digit(ms / 10 % 10); b[23] = digit(ms % 10)
            b[24] = 90; b[25] = 34
            bytes.append(contentsOf: UnsafeBufferPointer(b))
        }
        return true
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; fractions beyond milliseconds are truncated.
    /// Nil for anything else (the decoder turns that into a `DecodingError`).
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int64(b[i] - 48)
            }
            return value
        }
        guard b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116 || b[10] == 32, b[13] == 58, b[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { millis = millis * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        guard i < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, i + 6 == b.count, b[i + 3] == 58,
                  let h = number(i + 1..<i + 3), let m = number(i + 4..<i + 6) {
            offsetMinutes = (h * 60 + m) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return ((days * 86_400 + hour * 3600 + minute * 60 + second) - offsetMinutes * 60) * 1000 + millis
    }

    private static func floorMod(_ value: Int64, _ modulus: Int64) -> Int64 {
        let r = value % modulus
        return r < 0 ? r + modulus : r
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day)
    }
}
