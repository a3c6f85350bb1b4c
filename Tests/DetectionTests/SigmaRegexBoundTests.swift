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

/// The literal runs a pattern's matches must all contain (the regex prefilter).
@Suite struct SigmaRegexLiteralTests {
    @Test func literalRuns() {
        func runs(_ p: String) -> [String]? { SigmaRegexPattern.literalRuns(Array(p.utf8))?.map { String(decoding: $0, as: UTF8.self) } }
        #expect(runs(#""(?:\{\d\})+"\s*-f"#) == ["\"", "\"", "-f"])
        #expect(runs(#"ab?c+d{2}e*"#) == ["a", "c", "d"])
        #expect(runs(#"x[abc]y\.z"#) == ["x", "y.z"])
        #expect(runs(#"a|b"#) == nil)            // top-level alternation: nothing is required
        #expect(runs(#"(a|b)cd"#) == ["cd"])
        #expect(runs(#"\Qabc\E"#) == nil)         // not modelled: no claim
    }

    /// Over every SigmaHQ regex and the values of the regression samples (plus values built to
    /// match some of them), the prefiltered match answers exactly as ICU does.
    @Test func prefilteredMatchAgreesWithICUOnSigmaHQRegexes() throws {
        var samples = [#"powershell "{0}{1}" -f 'a','b'"#, #""{2}{0}"  -F x"#, #"\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1"#,
                       "cmd /c echo \"{1}\" -f", "", "x"]
        let root = SigmaTestSupport.testdata + "/regression"
        for case let file as String in FileManager.default.enumerator(atPath: root)! where file.hasSuffix(".json") {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for part in text.split(separator: "\"").enumerated() where part.offset % 2 == 1 {
                samples.append(part.element.replacingOccurrences(of: "\\\\", with: "\\"))
            }
        }
        var disagreements: [String] = []
        var matched = 0
        for r in SigmaSimpleRegexTests.regexes(SigmaCorpusTests.loaded.rules) {
            var options: NSRegularExpression.Options = []
            if r.ignoreCase { options.insert(.caseInsensitive) }
            if r.multiline { options.insert(.anchorsMatchLines) }
            if r.dotAll { options.insert(.dotMatchesLineSeparators) }
            let icu = try NSRegularExpression(pattern: r.source, options: options)
            // The pattern's own literal bits make values its literals are in.
            let own = String(decoding: Array(r.source.utf8).filter { !"\\^$()[]{}+*?|".utf8.contains($0) }, as: UTF8.self)
            for sample in samples + [own] {
                let raw = Array(sample.utf8)
                let folded = SigmaBytes.folded(raw)
                let fast = raw.withUnsafeBufferPointer { r2 in folded.withUnsafeBufferPointer { r.matches(r2, $0) } }
                let slow = icu.firstMatch(in: sample, range: NSRange(location: 0, length: sample.utf16.count)) != nil
                if slow { matched += 1 }
                if fast != slow { disagreements.append("\(r.source) on \(sample.prefix(80)): prefiltered \(fast), ICU \(slow)") }
            }
        }
        #expect(matched > 20)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }
}
