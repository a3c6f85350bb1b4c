@testable import Detection
import MWRASPCore
import Testing

/// The keyword skip-ahead search against a plain substring search, on texts short enough for
/// one cursor and long enough for two interleaved ones: the same needles found.
struct SigmaSkipScannerTests {
    typealias Random = SplitMix64

    static let alphabet: [UInt8] = Array("abcdeABCDE.\\ -\"".utf8)

    static func fold(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }

    @Test func findsWhatPlainSearchFinds() throws {
        var rng = Random(seed: 7)
        for round in 0..<20 {
            var needles: [[UInt8]] = []
            for _ in 0..<(1 + rng.below(30)) {
                let n = (0..<(5 + rng.below(8))).map { _ in Self.fold(Self.alphabet[rng.below(Self.alphabet.count)]) }
                if !needles.contains(n) { needles.append(n) }
            }
            let scanner = try #require(SigmaSkipScanner(needles: needles))
            for _ in 0..<25 {
                var text = (0..<rng.below(400)).map { _ in Self.alphabet[rng.below(Self.alphabet.count)] }
                for _ in 0..<rng.below(4) {
                    let n = needles[rng.below(needles.count)].map { rng.below(2) == 0 ? $0 : ($0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0) }
                    text.insert(contentsOf: n, at: rng.below(text.count + 1))
                }
                var hits: [Int32] = []
                text.withUnsafeBufferPointer { if let base = $0.baseAddress { scanner.scan(base, $0.count, into: &hits) } }
                var expected = Set<Int32>()
                for (id, n) in needles.enumerated() where text.count >= n.count {
                    for start in 0...(text.count - n.count) where n.indices.allSatisfy({ Self.fold(text[start + $0]) == n[$0] }) {
                        expected.insert(Int32(id))
                        break
                    }
                }
                #expect(Set(hits) == expected, "round \(round), \(text.count) bytes")
            }
        }
    }
}
