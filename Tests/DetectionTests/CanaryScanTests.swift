@testable import Detection
import MWRASPCore
import Testing

/// The block-wise prefix search of `CanaryTokenFormat.candidates` against a plain byte loop.
@Suite struct CanaryScanTests {
    /// The previous implementation, one byte at a time.
    static func reference(_ b: [UInt8]) -> [String] {
        var out: [String] = []
        let length = CanaryTokenFormat.length
        var i = 0
        while i + length <= b.count {
            guard b[i] | 0x20 == 0x6D, b[i + 1] | 0x20 == 0x77, b[i + 2] | 0x20 == 0x63, b[i + 3] | 0x20 == 0x74 else { i += 1; continue }
            var token = Array("mwct".utf8)
            var ok = true
            for k in 4..<length {
                let c = CanaryTokenFormat.lower(b[i + k])
                if !CanaryTokenFormat.isAlphabet(c) { ok = false; break }
                token.append(c)
            }
            if ok { out.append(String(decoding: token, as: UTF8.self)); i += length } else { i += 1 }
        }
        return out
    }

    @Test func tokensAtEveryOffsetAndCase() {
        let token = CanaryTokenFormat.mint()
        for pad in 0..<70 {
            for form in [token, token.uppercased(), "MwCt" + token.dropFirst(4)] {
                let bytes = Array((String(repeating: "x", count: pad) + form + String(repeating: "y", count: pad % 7)).utf8)
                #expect(CanaryTokenFormat.candidates(in: bytes) == [token], "\(pad) \(form)")
            }
        }
        #expect(CanaryTokenFormat.candidates(in: Array("mwct".utf8)).isEmpty)
        #expect(CanaryTokenFormat.candidates(in: []).isEmpty)
    }

    @Test func matchesTheByteLoopOnRandomInput() {
        var rng = SplitMix64(seed: 42)
        let pieces = ["mwct", "MWCT", "mw", "m", "w", "ct", "abcdefghijklmnopqrstuvwxyz234567", "ABCDEFGHIJK", "0189", " ", "\"", "-"]
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<Int.random(in: 0...40, using: &rng) { s += pieces.randomElement(using: &rng)! }
            if Int.random(in: 0..<4, using: &rng) == 0 { s += CanaryTokenFormat.mint() }
            let b = Array(s.utf8)
            #expect(CanaryTokenFormat.candidates(in: b) == Self.reference(b), "\(s)")
        }
    }
}
