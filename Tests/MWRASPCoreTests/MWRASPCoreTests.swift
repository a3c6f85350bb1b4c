import MWRASPCore
import Testing

@Suite struct EventIDTests {
    @Test func ids_sortByTime_andKeepTheirMilliseconds() {
        let early = EventID(milliseconds: 1_700_000_000_000)
        let late = EventID(milliseconds: 1_700_000_000_001)
        #expect(early < late)
        #expect(early.milliseconds == 1_700_000_000_000)
        #expect(early.rawValue.count == 26)
        #expect(EventID(rawValue: early.rawValue) == early)
    }

    @Test func malformedIDs_areRefused() {
        #expect(EventID(rawValue: "") == nil)
        #expect(EventID(rawValue: String(repeating: "U", count: 26)) == nil)  // U is not Crockford base32
        #expect(EventID(rawValue: String(repeating: "0", count: 25)) == nil)
    }
}

@Suite struct SeverityTests {
    @Test func vendorWords_mapOntoOurFiveLevels() {
        #expect(Severity(vendor: "CRITICAL") == .critical)
        #expect(Severity(vendor: "error") == .high)
        #expect(Severity(vendor: "warning") == .medium)
        #expect(Severity(vendor: "4") == .low)
        #expect(Severity(vendor: "info") == .info)
        #expect(Severity(vendor: "banana") == nil)
        #expect(Severity.critical > .high)
    }
}
