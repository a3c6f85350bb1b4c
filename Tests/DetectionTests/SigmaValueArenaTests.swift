@testable import Detection
import Ingestion
import Testing

/// The arena decodes string values exactly as JSONScanner's decoder does (one-character
/// escapes in place, `\u` escapes through the decoder), and folds them.
@Suite struct SigmaValueArenaTests {
    static let values: [String] = [
        #""C:\\Windows\\System32\\svchost.exe""#,
        #""plain""#,
        #""say \"hi\" \/ tab\there\nnew line\r\b\f""#,
        #""\\u0041 is not an escape: an escaped backslash, then u""#,
        #""caf\u00e9 \\ \u0041BC""#,
        #""\ud83d\ude00 surrogates""#,
        #""trailing backslash \\""#,
        #""\\\\server\\share""#,
        #""MiXeD CaSe \\PATH""#,
        "\"\"",
    ]

    @Test func escapedStringsDecodeAsTheScannerDecodesThem() throws {
        for text in Self.values {
            let json = Array(("{\"v\":" + text + ",\"w\":[" + text + ",1,true]}").utf8)
            let doc = try JSONScanner(json)
            let node = try #require(doc.member(doc.root, "v"))
            let expected = doc.decodedBytes(node)
            var arena = SigmaValueArena()
            // First the array (the value next to other scalars), then the value alone, after it.
            let array = arena.append(doc, try #require(doc.member(doc.root, "w")))
            let field = arena.append(doc, node)
            #expect(array.count == 3 && field.state == .values && field.count == 1, "\(text)")
            func bytes(_ index: Int32) -> (raw: [UInt8], folded: [UInt8]) {
                let span = arena.spans[Int(index)]
                let range = Int(span.x)..<Int(span.x + span.y)
                return (Array(arena.raw[range]), Array(arena.folded[range]))
            }
            let folded = expected.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
            #expect(bytes(field.first).raw == expected, "\(text)")
            #expect(bytes(field.first).folded == folded, "\(text)")
            #expect(bytes(array.first).raw == expected, "\(text)")
            #expect(bytes(array.first + 1).raw == Array("1".utf8))
            #expect(bytes(array.first + 2).raw == Array("true".utf8))
        }
    }
}
