/// Parses a Sigma `condition` string into a `SigmaCondition` over selection indices.
/// Grammar (precedence not > and > or, left to right):
///   or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary
///   primary := '(' or ')' | ('1' | 'any' | 'all') 'of' (pattern | 'them') | name
/// `them` means every selection not starting with `_`; patterns use `*` wildcards.
/// Aggregations (`| count() ...`, Sigma v1) are refused: correlation rules replace them.
struct SigmaConditionParser {
    let names: [String]
    let path: String
    private var tokens: [Substring] = []
    private var position = 0

    init(names: [String], path: String) {
        self.names = names
        self.path = path
    }

    mutating func parse(_ text: String) throws(SigmaRuleError) -> SigmaCondition {
        if text.contains("|") {
            throw SigmaRuleError(path: path, reason: "aggregation expressions ('| count() ...') are not supported; use a correlation rule", key: "unsupported_aggregation")
        }
        tokens = Self.tokenize(text)
        position = 0
        guard !tokens.isEmpty else { throw fail("empty condition") }
        let result = try parseOr()
        if position < tokens.count { throw fail("unexpected '\(tokens[position])'") }
        return result
    }

    private static func tokenize(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start: String.Index?
        for i in text.indices {
            let c = text[i]
            if c == "(" || c == ")" || c.isWhitespace {
                if let s = start { out.append(text[s..<i]); start = nil }
                if !c.isWhitespace { out.append(text[i...i]) }
            } else if start == nil {
                start = i
            }
        }
        if let s = start { out.append(text[s...]) }
        return out
    }

    private func fail(_ reason: String) -> SigmaRuleError {
        SigmaRuleError(path: path, reason: reason, key: "invalid_condition")
    }

    private func peek() -> String? { position < tokens.count ? tokens[position].lowercased() : nil }

    private mutating func parseOr() throws(SigmaRuleError) -> SigmaCondition {
        var terms = [try parseAnd()]
        while peek() == "or" { position += 1; terms.append(try parseAnd()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws(SigmaRuleError) -> SigmaCondition {
        var terms = [try parseUnary()]
        while peek() == "and" { position += 1; terms.append(try parseUnary()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseUnary() throws(SigmaRuleError) -> SigmaCondition {
        if peek() == "not" { position += 1; return .not(try parseUnary()) }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SigmaRuleError) -> SigmaCondition {
        guard let token = peek() else { throw fail("condition ends unexpectedly") }
        if token == "(" {
            position += 1
            let inner = try parseOr()
            guard peek() == ")" else { throw fail("missing ')'") }
            position += 1
            return inner
        }
        if token == ")" || token == "and" || token == "or" { throw fail("unexpected '\(token)'") }
        if (token == "1" || token == "any" || token == "all"), position + 1 < tokens.count, tokens[position + 1].lowercased() == "of" {
            position += 2
            guard position < tokens.count else { throw fail("'\(token) of' needs a pattern or 'them'") }
            let target = String(tokens[position])
            position += 1
            let indices: [Int]
            if target.lowercased() == "them" {
                indices = names.indices.filter { !names[$0].hasPrefix("_") }
            } else {
                let pattern = SigmaTextPattern(tokens: SigmaValueCompiler.wildcardTokens(target), cased: true, display: target)
                indices = names.indices.filter { pattern.matches(SigmaValueText(names[$0])) }
            }
            guard !indices.isEmpty else { throw fail("'\(token) of \(target)' matches no selection") }
            let terms = indices.map { SigmaCondition.selection($0) }
            if terms.count == 1 { return terms[0] }
            return token == "all" ? .and(terms) : .or(terms)
        }
        let name = String(tokens[position])
        position += 1
        guard let index = names.firstIndex(of: name) else { throw fail("unknown selection '\(name)'") }
        return .selection(index)
    }
}
