@testable import Detection
import Foundation
import Testing

/// The fast regex subset must answer exactly as ICU does: checked on every SigmaHQ regex it
/// accepts, over real event values and crafted strings.
@Suite struct SigmaSimpleRegexTests {
    static func regexes(_ rules: [SigmaRule]) -> [SigmaRegexPattern] {
        var out: [SigmaRegexPattern] = []
        func walk(_ p: SigmaPattern) {
            switch p {
            case .regex(let r): out.append(r)
            case .anyOf(let ps): ps.forEach(walk)
            default: break
            }
        }
        func walk(_ s: SigmaSelection) {
            switch s {
            case .all(let items): items.forEach { $0.patterns.forEach(walk) }
            case .any(let alternatives): alternatives.forEach(walk)
            }
        }
        rules.forEach { $0.detection.selections.forEach(walk) }
        return out
    }

    @Test func agreesWithICUOnSigmaHQRegexes() throws {
        let rules = SigmaCorpusTests.loaded.rules
        var samples: [String] = [
            "", "a", "cmd /c copy C:\\Windows\\System32\\x.dll", " " + String(repeating: "a1", count: 32) + " " + String(repeating: "f", count: 16),
            "\\abc.def.\"", "\\x.y. ", "powershell -e JAB", "line1\nline2", "rundll32.exe C:\\a\\b.dll,Entry",
            "net user admin /add", "http://10.1.2.3/x", "\n\n\n\n\n\n\n", "AAAA====", "x" + String(repeating: "7", count: 10),
        ]
        let root = SigmaTestSupport.testdata + "/regression"
        for case let file as String in FileManager.default.enumerator(atPath: root)! where file.hasSuffix(".json") {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            // Every JSON string value of the samples (approximately: between quotes, unescaped).
            for part in text.split(separator: "\"").enumerated() where part.offset % 2 == 1 {
                samples.append(part.element.replacingOccurrences(of: "\\\\", with: "\\"))
            }
        }
        var checked = 0, disagreements: [String] = []
        for r in Self.regexes(rules) {
            guard let simple = SigmaSimpleRegex(r.source, ignoreCase: r.ignoreCase, dotAll: r.dotAll, multiline: r.multiline) else { continue }
            var options: NSRegularExpression.Options = []
            if r.ignoreCase { options.insert(.caseInsensitive) }
            if r.multiline { options.insert(.anchorsMatchLines) }
            if r.dotAll { options.insert(.dotMatchesLineSeparators) }
            let icu = try NSRegularExpression(pattern: r.source, options: options)
            checked += 1
            for sample in samples {
                guard let fast = simple.matches(Array(sample.utf8)) else { continue }
                let slow = icu.firstMatch(in: sample, range: NSRange(location: 0, length: sample.utf16.count)) != nil
                if fast != slow { disagreements.append("\(r.source) on \(sample.prefix(80)): fast \(fast), ICU \(slow)") }
            }
        }
        print("simple regex: \(checked) of \(Self.regexes(rules).count) SigmaHQ regexes run without ICU")
        #expect(checked > 20)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    @Test func handcrafted() throws {
        let r = try #require(SigmaSimpleRegex("^a[0-9]{2,3}b?c$", ignoreCase: true, dotAll: false, multiline: false))
        #expect(r.matches(Array("A12c".utf8)) == true)
        #expect(r.matches(Array("a1234c".utf8)) == false)
        #expect(r.matches(Array("xa12c".utf8)) == false)
        #expect(r.matches(Array("a12c\n".utf8)) == nil)  // `$` before a final newline: ICU decides
        #expect(r.matches(Array("é".utf8)) == nil)       // non-ASCII: ICU decides
        #expect(SigmaSimpleRegex("(a|b)", ignoreCase: false, dotAll: false, multiline: false) == nil)
        #expect(SigmaSimpleRegex("[^a]", ignoreCase: true, dotAll: false, multiline: false) == nil)
    }

    /// A regex ending in an optional group runs fast as its part before the group; the whole
    /// pattern must still answer as ICU answers for the original (only "is there a match").
    @Test func trailingOptionalGroupAgreesWithICU() throws {
        func strip(_ p: String) -> String? {
            SigmaRegexPattern.droppingTrailingOptionalGroup(Array(p.utf8)).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(strip(#"-k\s\w{1,64}(?:\s?(?:-p|-s))?"#) == #"-k\s\w{1,64}"#)
        #expect(strip("ab(c)*") == "ab")
        #expect(strip("ab(c){0,3}?") == "ab")
        #expect(strip("ab(c){05}") == nil)       // not optional
        #expect(strip("ab(c)") == nil)
        #expect(strip("ab(c)?d") == nil)         // something follows
        #expect(strip("a|(c)?") == nil)          // would leave an empty alternative
        #expect(strip("ab(?=c)?") == nil)        // lookaround
        #expect(strip(#"(a)\1(b)?"#) == nil)   // backreference
        #expect(strip(#"ab\(c\)?"#) == nil)    // escaped parentheses: no group
        #expect(strip("[(]ab(c)?") == "[(]ab")
        let rules = SigmaCorpusTests.loaded.rules
        var samples = ["", "svchost.exe -k netsvcs -p -s Schedule", "svchost.exe -k netsvcs", "-k ", "-k x-p", "a -K Y -s"]
        let root = SigmaTestSupport.testdata + "/regression"
        for case let file as String in FileManager.default.enumerator(atPath: root)! where file.hasSuffix(".json") {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for part in text.split(separator: "\"").enumerated() where part.offset % 2 == 1 {
                samples.append(part.element.replacingOccurrences(of: "\\\\", with: "\\"))
            }
        }
        var checked = 0, disagreements: [String] = []
        for r in SigmaSimpleRegexTests.regexes(rules) {
            guard let stripped = strip(r.source),
                  let simple = SigmaSimpleRegex(stripped, ignoreCase: r.ignoreCase, dotAll: r.dotAll, multiline: r.multiline) else { continue }
            var options: NSRegularExpression.Options = []
            if r.ignoreCase { options.insert(.caseInsensitive) }
            if r.multiline { options.insert(.anchorsMatchLines) }
            if r.dotAll { options.insert(.dotMatchesLineSeparators) }
            let icu = try NSRegularExpression(pattern: r.source, options: options)
            checked += 1
            for sample in samples {
                let slow = icu.firstMatch(in: sample, range: NSRange(location: 0, length: sample.utf16.count)) != nil
                if let fast = simple.matches(Array(sample.utf8)), fast != slow {
                    disagreements.append("\(r.source) on \(sample.prefix(80)): fast \(fast), ICU \(slow)")
                }
                let whole = SigmaValueText(sample)
                if r.matches(whole) != slow { disagreements.append("\(r.source) (pattern) on \(sample.prefix(80)): ICU \(slow)") }
            }
        }
        print("trailing optional group: \(checked) SigmaHQ regexes run without ICU")
        #expect(checked >= 1)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }
}
