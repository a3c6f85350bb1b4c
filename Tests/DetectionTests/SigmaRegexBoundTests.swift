@testable import Detection
import Foundation
import Testing

/// The minimum-match-length bound must never exceed the length of a real match.
@Suite struct SigmaRegexBoundTests {
    @Test func bounds() {
        func bound(_ p: String) -> Int { SigmaRegexPattern.minimumMatchLength(Array(p.utf8)) }
        #expect(bound(#"\s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}"#) == 82)
        #expect(bound(#"a+b*c?"#) == 1)
        #expect(bound(#"(ab)cd"#) == 0)
        #expect(bound(#"\d{2,5}x?"#) == 2)
        #expect(bound(#"\bfoo\b$"#) == 3)
        #expect(bound(#"[\]a]{3}?z"#) == 4)
        #expect(bound(#"\1x"#) == 0)
    }

    /// Every match ICU finds, over crafted values, is at least as long as the bound.
    @Test func boundNeverRejectsAMatch() throws {
        let patterns = [#"\s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}"#, #"^ab.c{2,}\d$"#, #"ss"#, #"st\w{3}"#, #"[k]{2}"#]
        let values = ["ß", "ﬆabc", "\u{212A}\u{212A}", " " + String(repeating: "a", count: 64) + " " + String(repeating: "b", count: 16),
                      "abxcc1", "ssx", "kk"]
        for p in patterns {
            let bound = SigmaRegexPattern.minimumMatchLength(Array(p.utf8))
            let icu = try NSRegularExpression(pattern: p, options: [.caseInsensitive])
            for v in values {
                for m in icu.matches(in: v, range: NSRange(location: 0, length: v.utf16.count)) {
                    let matched = (v as NSString).substring(with: m.range)
                    #expect(matched.utf8.count >= bound, "\(p) on \(v)")
                }
            }
        }
    }
}
