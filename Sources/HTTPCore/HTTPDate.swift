/// IMF-fixdate for the `Date` header (RFC 9110 §5.6.7), computed without Foundation.
public enum HTTPDate {
    /// "Sun, 06 Nov 1994 08:49:37 GMT" for 784111777.
    public static func format(epochSeconds: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        append(epochSeconds: epochSeconds, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the date's 29 bytes to `buffer`. Instants outside years 0001-9999 are clamped
    /// to that range, which IMF-fixdate's four-digit year can express.
    public static func append(epochSeconds: Int, into buffer: inout [UInt8]) {
        let epochSeconds = min(max(epochSeconds, -62_135_596_800), 253_402_300_799)
        // Floor division, so that instants before 1970 land on the right day.
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds &- 86_399) / 86_400
        let secondOfDay = epochSeconds &- days &* 86_400
        let (year, month, day) = civil(fromDays: days)
        // 1970-01-01 was a Thursday.
        let weekday = ((days % 7) &+ 11) % 7

        buffer.append(contentsOf: dayNames[weekday].utf8)
        buffer.append(contentsOf: ", ".utf8)
        appendTwoDigits(day, into: &buffer)
        buffer.append(ASCII.space)
        buffer.append(contentsOf: monthNames[month &- 1].utf8)
        buffer.append(ASCII.space)
        appendTwoDigits(year / 100, into: &buffer)
        appendTwoDigits(year % 100, into: &buffer)
        buffer.append(ASCII.space)
        appendTwoDigits(secondOfDay / 3600, into: &buffer)
        buffer.append(ASCII.colon)
        appendTwoDigits(secondOfDay / 60 % 60, into: &buffer)
        buffer.append(ASCII.colon)
        appendTwoDigits(secondOfDay % 60, into: &buffer)
        buffer.append(contentsOf: " GMT".utf8)
    }

    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func appendTwoDigits(_ value: Int, into buffer: inout [UInt8]) {
        buffer.append(0x30 &+ UInt8(value / 10))
        buffer.append(0x30 &+ UInt8(value % 10))
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's civil_from_days):
    /// shifting the year to start in March puts the leap day last, so the 400-year era splits
    /// evenly without tables.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days &+ 719_468
        let era = (shifted >= 0 ? shifted : shifted &- 146_096) / 146_097
        let dayOfEra = shifted &- era &* 146_097
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36_524 &- dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)
        let monthIndex = (5 &* dayOfYear &+ 2) / 153
        let day = dayOfYear &- (153 &* monthIndex &+ 2) / 5 &+ 1
        let month = monthIndex < 10 ? monthIndex &+ 3 : monthIndex &- 9
        let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
