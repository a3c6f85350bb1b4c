import Foundation
import HTTPCore
import Testing

@Suite struct HTTPDateTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (68_169_600, "Tue, 29 Feb 1972 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_582_934_400, "Sat, 29 Feb 2020 00:00:00 GMT"),
        (1_709_208_000, "Thu, 29 Feb 2024 12:00:00 GMT"),
        (4_107_542_399, "Sun, 28 Feb 2100 23:59:59 GMT"),
        (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
        (-2_203_891_200, "Thu, 01 Mar 1900 00:00:00 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func format_knownInstants(epoch: Int, expected: String) {
        #expect(HTTPDate.format(epochSeconds: epoch) == expected)
    }

    @Test func format_outOfRangeInstants_areClamped() {
        #expect(HTTPDate.format(epochSeconds: .max) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(epochSeconds: .min) == "Mon, 01 Jan 0001 00:00:00 GMT")
    }

    @Test func format_agreesWithFoundationOnRandomInstants() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let epoch = Int.random(in: -2_000_000_000...7_000_000_000, using: &generator)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
            #expect(HTTPDate.format(epochSeconds: epoch) == expected, "epoch \(epoch)")
        }
    }
}
