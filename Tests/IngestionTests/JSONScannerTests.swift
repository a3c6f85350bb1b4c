import Ingestion
import Testing

@Suite struct JSONScannerTests {
    private func valid(_ text: String) -> Bool {
        (try? JSONScanner.validate(bytes(text))) != nil
    }

    private func reason(_ raw: [UInt8]) -> String? {
        do { try JSONScanner.validate(raw); return nil } catch { return error.reason }
    }

    @Test(arguments: [
        "{}", "[]", "0", "-0", "1.5", "-1.5e10", "1E+2", "1e-2", "0.0", "true", "false", "null", "\"\"",
        " \t\r\n{\"a\" : [1, 2, {\"b\": null}]} \n", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\"",
        "\"\\ud83d\\ude00\"", "\"é€😀\"", "[[[[]]]]", "{\"a\":{\"a\":{\"a\":1}}}", "123456789012345678901234567890",
    ])
    func acceptsRFC8259Values(_ text: String) {
        #expect(valid(text), "\(text)")
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity",
        "tru", "nul", "True", "'a'", "{a:1}", "{\"a\" 1}", "{\"a\":}", "[1 2]", "\"abc", "\"\\x\"", "\"\\u12\"",
        "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"a\tb\"", "{} {}", "[] x", "1 2", "{\"a\":1}}",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(!valid(text), "\(text)")
    }

    @Test func errorNamesTheByteAndWhatWasExpected() {
        #expect(reason(bytes("{\"a\":1 \"b\":2}")) == "invalid JSON at byte 7: expected ',' or '}', found '\"'")
        #expect(reason(bytes("{\"a\":1")) == "invalid JSON at byte 6: unexpected end of input, expected ',' or '}'")
        #expect(reason(bytes("[1] x")) == "invalid JSON at byte 4: unexpected data after the JSON value")
        #expect(reason(bytes("[01]")) == "invalid JSON at byte 2: leading zeros are not allowed in numbers")
    }

    @Test func rejectsInvalidUTF8WithItsOffset() {
        let prefix = bytes("{\"a\":\"ok")
        #expect(reason(prefix + [0xC3, 0x28] + bytes("\"}")) == "invalid UTF-8 at byte 8")  // bad continuation
        #expect(reason(prefix + [0xC0, 0xAF] + bytes("\"}")) == "invalid UTF-8 at byte 8")  // overlong
        #expect(reason(prefix + [0xED, 0xA0, 0x80] + bytes("\"}")) == "invalid UTF-8 at byte 8")  // surrogate
        #expect(reason(prefix + [0xF4, 0x90, 0x80, 0x80] + bytes("\"}")) == "invalid UTF-8 at byte 8")  // > U+10FFFF
        #expect(reason(prefix + [0xE2, 0x82] + bytes("\"}")) == "invalid UTF-8 at byte 8")  // truncated
        #expect(reason(bytes("[1,") + [0xFF] + bytes("]")) == "invalid UTF-8 at byte 3")  // outside a string
        #expect(reason(prefix + [0xF0, 0x9F, 0x98, 0x80] + bytes("\"}")) == nil)  // 😀 is fine
    }

    @Test func enforcesTheNestingLimit() {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(valid(ok))
        #expect(reason(bytes(deep)) == "invalid JSON at byte 64: nesting deeper than 64 levels")
        // A hostile depth fails cleanly instead of overflowing the stack.
        #expect(!valid(String(repeating: "[", count: 1_000_000)))
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let scanner = try JSONScanner(bytes(#"{"k\u0065y":"a\"b\\c\/d\n\u00e9\ud83d\ude00"}"#))
        let value = try #require(scanner.member(scanner.root, "key"))
        #expect(scanner.string(value) == "a\"b\\c/d\né😀")
        #expect(scanner.string(at: ["key"]) == "a\"b\\c/d\né😀")
    }

    @Test func looksUpNestedDottedAndMixedPaths() throws {
        let scanner = try JSONScanner(bytes(#"{"kibana.alert.rule.name":"r1","a":{"b.c":{"d":5}},"x":{"y":"z"},"dup":1,"dup":2}"#))
        #expect(scanner.value(atDotted: "kibana.alert.rule.name").flatMap(scanner.string) == "r1")
        #expect(scanner.value(atDotted: "a.b.c.d").flatMap(scanner.numberText) == "5")
        #expect(scanner.value(at: ["x", "y"]).flatMap(scanner.string) == "z")
        #expect(scanner.value(at: ["x", "nope"]) == nil)
        #expect(scanner.member(scanner.root, "dup").flatMap(scanner.numberText) == "2")  // the last wins
    }

    @Test func iteratesMembersAndElements() throws {
        let scanner = try JSONScanner(bytes(#"{"a":[1,{"b":[]},"s"],"c":true}"#))
        let keys = scanner.members(scanner.root).map { scanner.string($0.key) ?? "" }
        #expect(keys == ["a", "c"])
        let array = try #require(scanner.member(scanner.root, "a"))
        #expect(scanner.elements(array).map { scanner.kind($0) } == [.number, .object, .string])
        #expect(scanner.member(scanner.root, "c").flatMap(scanner.bool) == true)
    }

    @Test func toleratesTrailingCommasOnlyWhenAsked() throws {
        let text = bytes(#"{"alerts":[{"a":1,},{"b":2},],}"#)
        #expect(throws: IngestError.self) { try JSONScanner(text) }
        let scanner = try JSONScanner(text, options: .init(allowTrailingCommas: true))
        var out: [UInt8] = []
        scanner.write(scanner.root, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"{"alerts":[{"a":1},{"b":2}]}"#)
        // Still no empty elements or leading commas.
        #expect(throws: IngestError.self) { try JSONScanner(bytes("[,]"), options: .init(allowTrailingCommas: true)) }
        #expect(throws: IngestError.self) { try JSONScanner(bytes("[1,,]"), options: .init(allowTrailingCommas: true)) }
    }

    @Test func parsesConcatenatedValuesFromAnOffset() throws {
        let text = bytes(#"{"a":1} {"b":2}"#)
        let first = try JSONScanner(text, from: 0)
        #expect(first.endOffset == 7)
        let second = try JSONScanner(text, from: first.endOffset)
        #expect(second.endOffset == text.count)
        #expect(second.member(second.root, "b") != nil)
    }
}

@Suite struct JSONScannerLimitTests {
    @Test func aDocumentWithMoreValuesThanTheLimitIsRefusedNotIndexed() throws {
        let small = Array(("[" + Array(repeating: "0", count: 100).joined(separator: ",") + "]").utf8)
        let options = JSONScanner.Options(maxValues: 50)
        #expect(throws: IngestError.self) { try JSONScanner(small, options: options) }
        do {
            _ = try JSONScanner(small, options: options)
        } catch {
            #expect(error.reason.contains("more than 50 JSON values"))
        }
        // At the limit it parses.
        let fits = Array(("[" + Array(repeating: "0", count: 49).joined(separator: ",") + "]").utf8)
        #expect(try JSONScanner(fits, options: options).nodes.count == 50)
        // The default bound holds a hostile 10 MiB array to a 1,048,576-value index.
        let hostile = [UInt8]("[".utf8) + Array(repeating: Array("0,".utf8), count: 1_100_000).flatMap { $0 } + Array("0]".utf8)
        #expect(throws: IngestError.self) { try JSONScanner(hostile) }
    }
}
