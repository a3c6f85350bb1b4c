import Ingestion
import MWRASPCore
import Testing

@Suite struct NDJSONAdapterTests {
    private func parse(_ text: String) -> BulkResult {
        var ctx = context()
        return NDJSONAdapter.parse(bytes(text), context: &ctx)
    }

    @Test func goodAndBadLines_reportedByLineNumber() {
        let body = """
        {"title":"one","src_ip":"10.0.0.1"}
        {"title":"two","src_ip":5}

        {"title":"three"
        not json
        {"title":"four","severity":"low"}
        [1]
        """
        let result = parse(body)
        #expect(result.events.map(\.title) == ["one", "four"])
        #expect(result.rejected.map(\.line) == [2, 4, 5, 7])
        #expect(result.rejected[0].reason == "line 2: field src_ip must be a string, got number")
        #expect(result.rejected[1].reason == "line 4: invalid JSON at byte 16: unexpected end of input, expected ',' or '}'")
        #expect(result.rejected[2].reason == "line 5: invalid JSON at byte 1: invalid literal, expected null")
        #expect(result.rejected[3].reason == "line 7: the event must be a JSON object, got array")
    }

    @Test func crlfAndBlankLines() {
        let result = parse("{\"title\":\"a\"}\r\n\r\n   \r\n{\"title\":\"b\"}\r\n{\"title\":1}\r\n")
        #expect(result.events.map(\.title) == ["a", "b"])
        #expect(result.rejected.map(\.line) == [5])
        // The original is the line without its line ending.
        #expect(result.events[0].original == bytes("{\"title\":\"a\"}"))
    }

    @Test func emptyBodyAndNoFinalNewline() {
        #expect(parse("").events.isEmpty)
        #expect(parse("\n\n").events.isEmpty && parse("\n\n").rejected.isEmpty)
        #expect(parse("{\"title\":\"x\"}").events.count == 1)
    }

    @Test func tenMebibyteLine_isRejectedNotFatal() {
        let big = "{\"title\":\"" + String(repeating: "x", count: 10 << 20) + "\"}"
        let result = parse("{\"title\":\"before\"}\n" + big + "\n{\"title\":\"after\"}\n")
        #expect(result.events.map(\.title) == ["before", "after"])
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.line == 2)
        #expect(result.rejected.first?.reason == "line 2: event too large: \(big.utf8.count) bytes, the limit is 1048576")
    }

    @Test func invalidUTF8OnOneLine() {
        var ctx = context()
        let body = bytes("{\"title\":\"ok\"}\n{\"title\":\"") + [0xFF] + bytes("\"}\n")
        let result = NDJSONAdapter.parse(body, context: &ctx)
        #expect(result.events.count == 1)
        #expect(result.rejected.first?.reason == "line 2: invalid UTF-8 at byte 10")
    }

    @Test func idsAreUniqueAcrossABody() {
        let line = #"{"title":"t","src_ip":"10.0.0.1"}"#
        let result = parse(Array(repeating: line, count: 1000).joined(separator: "\n"))
        #expect(Set(result.events.map(\.id)).count == 1000)
    }

    /// The word-at-a-time newline search agrees with a plain split at every alignment.
    @Test func lineSplittingMatchesANaiveSplit() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<200 {
            var lines: [String] = []
            for _ in 0..<(1 + Int(random.next() % 12)) {
                let padding = String(repeating: " ", count: Int(random.next() % 20))
                lines.append(random.next() % 4 == 0 ? padding : "{\"title\":\"\(padding)x\"}" + padding)
            }
            let body = lines.joined(separator: "\n")
            let result = parse(body)
            let expected = lines.filter { !$0.allSatisfy { $0 == " " } }
            #expect(result.rejected.isEmpty)
            #expect(result.events.map { String(decoding: $0.original, as: UTF8.self) } == expected)
        }
    }
}
