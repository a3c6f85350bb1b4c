import HTTPCore
import Testing

@Suite struct HTTPFieldsTests {
    @Test func subscript_returnsFirstValue_caseInsensitively() {
        let fields: HTTPFields = ["Content-Type": "application/json", "X-A": "1", "x-a": "2"]
        #expect(fields["content-type"] == "application/json")
        #expect(fields["X-A"] == "1")
        #expect(fields["Missing"] == nil)
        #expect(fields.count == 3)
    }

    @Test func dictionaryLiteral_keepsOrderAndRepeats() {
        let fields: HTTPFields = ["B": "1", "A": "2", "B": "3"]
        #expect(fields.map(\.name) == ["B", "A", "B"])
        #expect(fields.map(\.value) == ["1", "2", "3"])
    }

    @Test func values_returnsEveryValueInOrder() {
        var fields = HTTPFields()
        fields.append(name: "Set-Cookie", value: "a=1")
        fields.append(name: "Vary", value: "Accept")
        fields.append(name: "set-cookie", value: "b=2")
        #expect(fields.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(fields.values(for: "none").isEmpty)
    }

    @Test func contains_isCaseInsensitive_andASCIIOnly() {
        let fields: HTTPFields = ["ETag": "\"1\""]
        #expect(fields.contains("etag"))
        #expect(fields.contains("ETAG"))
        #expect(!fields.contains("ETa"))
        #expect(!fields.contains("ETagg"))
        let unicode: HTTPFields = ["Ä": "1"]
        #expect(!unicode.contains("ä"))
        #expect(unicode.contains("Ä"))
    }

    @Test func replaceOrAdd_replacesFirstInPlace_andRemovesTheOthers() {
        var fields: HTTPFields = ["A": "1", "Content-Length": "5", "B": "2", "content-length": "6"]
        fields.replaceOrAdd(name: "Content-Length", value: "7")
        #expect(fields.map(\.name) == ["A", "Content-Length", "B"])
        #expect(fields["content-length"] == "7")
        fields.replaceOrAdd(name: "Date", value: "now")
        #expect(fields.map(\.name) == ["A", "Content-Length", "B", "Date"])
    }

    @Test func remove_dropsEveryFieldOfThatName() {
        var fields: HTTPFields = ["A": "1", "b": "2", "B": "3"]
        fields.remove(name: "B")
        #expect(fields.map(\.name) == ["A"])
        fields.remove(name: "missing")
        #expect(fields.count == 1)
    }

    @Test func equality_comparesOrderedFields() {
        let one: HTTPFields = ["A": "1", "B": "2"]
        let other: HTTPFields = ["B": "2", "A": "1"]
        #expect(one != other)
        var built = HTTPFields()
        built.append(name: "A", value: "1")
        built.append(name: "B", value: "2")
        #expect(one == built)
        #expect(HTTPFields().isEmpty)
    }
}
