/// Splits a multi-document YAML text at its `---` lines, keeping each document's own text
/// (each rule keeps its YAML verbatim). Documents with nothing but blank lines or comments
/// are dropped. A `---` inside a block scalar would split wrongly; Sigma rules have none.
enum SigmaYAMLSplitter {
    static func documents(_ text: String) -> [String] {
        var documents: [String] = []
        var current: [Substring] = []
        func flush() {
            let meaningful = current.contains { line in
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                return !trimmed.isEmpty && !trimmed.hasPrefix("#")
            }
            if meaningful { documents.append(current.joined(separator: "\n") + "\n") }
            current = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let bare = line.hasSuffix("\r") ? line.dropLast() : line
            if bare.hasPrefix("---") && bare.dropFirst(3).allSatisfy({ $0 == " " || $0 == "\t" }) || bare == "..." {
                flush()
            } else {
                current.append(bare)
            }
        }
        flush()
        return documents
    }
}
