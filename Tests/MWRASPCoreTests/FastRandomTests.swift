import Testing
import MWRASPCore

@Suite struct FastRandomTests {
    /// Each generator is seeded apart from the others (from one seeded by the system), so
    /// ids drawn by two request contexts do not follow the same sequence.
    @Test func generatorsDrawDifferentSequences() {
        var first = FastRandom()
        var second = FastRandom()
        let a = (0..<8).map { _ in first.next() }
        let b = (0..<8).map { _ in second.next() }
        #expect(a != b)
        #expect(Set(a).count == 8)
        #expect(EventID(milliseconds: 1, using: &first) != EventID(milliseconds: 1, using: &second))
    }
}
