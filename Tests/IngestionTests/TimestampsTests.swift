import Ingestion
import Testing

@Suite struct TimestampsTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2024-05-17T13:45:22.123Z", Int64(1_715_953_522_123)),
        ("2024-05-17T13:45:22.1Z", Int64(1_715_953_522_100)),
        ("2024-05-17t13:45:22.123z", Int64(1_715_953_522_123)),
        ("2024-02-29T23:59:59.999+00:00", Int64(1_709_251_199_999)),
        ("2024-05-18T00:45:22.123+11:00", Int64(1_715_953_522_123)),
        ("1969-12-31T23:59:59.999Z", Int64(-1)),
        ("2016-12-31T23:59:60Z", Int64(1_483_228_799_000)),
    ])
    func parsesRFC3339(_ text: String, _ expected: Int64) {
        #expect(Timestamps.parseRFC3339(Array(text.utf8)) == expected)
    }

    @Test(arguments: ["", "2024-05-17", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-17T24:00:00Z",
                      "2024-05-17T13:45:22.Z", "2024-05-17T13:45:22+25:00", "2024-05-17T13:45:22Zjunk"])
    func rejectsMalformed(_ text: String) {
        #expect(Timestamps.parseRFC3339(Array(text.utf8)) == nil)
    }

    @Test func formatsRoundTrip() {
        for ms: Int64 in [0, 1_715_953_522_123, 1_709_251_199_999, 4_102_444_800_000, -1] {
            #expect(Timestamps.parseRFC3339(Array(Timestamps.format(ms).utf8)) == ms)
        }
        #expect(Timestamps.format(1_715_953_522_123) == "2024-05-17T13:45:22.123Z")
    }

    @Test func epochSeconds() {
        #expect(Timestamps.parseEpochSeconds(Array("1715953522.123456".utf8)) == 1_715_953_522_123)
        #expect(Timestamps.parseEpochSeconds(Array("1715953522".utf8)) == 1_715_953_522_000)
        #expect(Timestamps.parseEpochSeconds(Array("17x".utf8)) == nil)
        #expect(Timestamps.parseEpochNumber(Array("1.715953522123e9".utf8)) == 1_715_953_522_123)
    }
}
