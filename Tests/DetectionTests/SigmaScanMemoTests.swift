@testable import Detection
import Testing

/// The scan memo answers a value's needle hits exactly as the scan did, per automaton and
/// escaping, from the value's third sighting on; it stays bounded.
@Suite struct SigmaScanMemoTests {
    /// Runs the memo over `text` with a stand-in scan that reports `found` and counts calls.
    private static func hits(_ memo: inout SigmaScanMemo, _ text: String, automaton: UInt32 = 1, escaped: Bool = false,
                             found: [Int32], scans: inout Int) -> [Int32] {
        var out: [Int32] = [99]  // hits already there stay first
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { value in
            memo.hits(automaton: automaton, escaped: escaped, value, into: &out) { out in
                scans += 1
                out.append(contentsOf: found)
            }
        }
        return out
    }

    @Test func remembersFromTheSecondSightingAndAnswersTheSame() {
        var memo = SigmaScanMemo()
        var scans = 0
        let value = "C:\\Windows\\System32\\svchost.exe"
        for _ in 0..<5 { #expect(Self.hits(&memo, value, found: [3, 7, 3], scans: &scans) == [99, 3, 7, 3]) }
        #expect(scans == 2)  // seen once, then remembered, then answered three times
        // No hits is an answer too.
        for _ in 0..<3 { #expect(Self.hits(&memo, "nothing here", found: [], scans: &scans) == [99]) }
        #expect(scans == 4)
    }

    @Test func automataAndEscapingAreToldApart() {
        var memo = SigmaScanMemo()
        var scans = 0
        for _ in 0..<3 {
            #expect(Self.hits(&memo, "a\\\\b", automaton: 1, found: [1], scans: &scans) == [99, 1])
            #expect(Self.hits(&memo, "a\\\\b", automaton: 2, found: [2], scans: &scans) == [99, 2])
            #expect(Self.hits(&memo, "a\\\\b", automaton: 1, escaped: true, found: [3], scans: &scans) == [99, 3])
        }
        #expect(scans == 6)
    }

    @Test func longValuesAreAlwaysScanned() {
        var memo = SigmaScanMemo()
        var scans = 0
        let long = String(repeating: "x", count: SigmaScanMemo.maxValueBytes + 1)
        for _ in 0..<4 { #expect(Self.hits(&memo, long, found: [5], scans: &scans) == [99, 5]) }
        #expect(scans == 4)
    }

    /// Far more repeated values than it holds: it empties itself and fills again, and every
    /// answer stays that value's own.
    @Test func staysBoundedAndCorrectPastItsCapacity() {
        var memo = SigmaScanMemo()
        var scans = 0
        for _ in 0..<3 {
            for n in 0..<(SigmaScanMemo.capacity * 2) {
                let got = Self.hits(&memo, "value-\(n)", found: [Int32(n % 1000), Int32(n / 1000)], scans: &scans)
                #expect(got == [99, Int32(n % 1000), Int32(n / 1000)])
            }
        }
        #expect(scans < SigmaScanMemo.capacity * 2 * 3)
    }
}
