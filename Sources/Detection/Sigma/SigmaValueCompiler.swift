/// A YAML scalar of a detection, as the parser hands it over (so that value compilation
/// does not depend on Yams): null, or its text and whether it was a YAML string.
enum SigmaScalar: Sendable {
    case null
    case text(String)
}

/// Compiles one `Field|modifiers: value(s)` (or keyword list) into a `SigmaFieldItem`.
struct SigmaValueCompiler {
    /// Values for `|expand` placeholders (`%known_cdcs%` -> list); absent ones match nothing.
    var placeholders: [String: [String]] = [:]

    func item(key: String, field: String?, modifierNames: [Substring], values: [SigmaScalar],
              path: String) throws(SigmaRuleError) -> SigmaFieldItem {
        let mods = try SigmaModifiers(modifierNames, path: path)
        var patterns: [SigmaPattern] = []
        for value in values {
            patterns.append(try pattern(value, mods, path: path))
        }
        if mods.exists && mods.all { throw SigmaRuleError(path: path, reason: "'all' does not apply to 'exists'", key: "invalid_modifier") }
        return SigmaFieldItem(field: field, key: key, matchAll: mods.all, patterns: patterns)
    }

    private func pattern(_ value: SigmaScalar, _ mods: SigmaModifiers, path: String) throws(SigmaRuleError) -> SigmaPattern {
        guard case .text(let text) = value else {
            if mods.exists { throw SigmaRuleError(path: path, reason: "'exists' needs true or false", key: "invalid_value") }
            return .null
        }
        if mods.exists {
            switch text.lowercased() {
            case "true", "yes": return .exists(true)
            case "false", "no": return .exists(false)
            default: throw SigmaRuleError(path: path, reason: "'exists' needs true or false, got '\(text)'", key: "invalid_value")
            }
        }
        if mods.regex {
            do {
                return .regex(try SigmaRegexPattern(text, ignoreCase: mods.regexIgnoreCase, multiline: mods.regexMultiline, dotAll: mods.regexDotAll))
            } catch {
                throw SigmaRuleError(path: path, reason: "invalid regular expression '\(text)': \(error)", key: "invalid_regex")
            }
        }
        if mods.cidr {
            guard let cidr = SigmaCIDR(text) else {
                throw SigmaRuleError(path: path, reason: "invalid CIDR '\(text)'", key: "invalid_value")
            }
            return .cidr(cidr)
        }
        if let op = mods.compare {
            guard let number = Double(text) else {
                throw SigmaRuleError(path: path, reason: "'\(text)' is not a number", key: "invalid_value")
            }
            return .compare(op, number)
        }
        if mods.fieldRef { return .fieldRef(name: text, slot: -1) }
        var texts = [text]
        if mods.expand {
            texts = try expanded(text, path: path)
            if texts.isEmpty { return .never }
        }
        var variants: [SigmaPattern] = []
        for text in texts {
            variants += try textPatterns(text, mods, path: path)
        }
        return variants.count == 1 ? variants[0] : .anyOf(variants)
    }

    private func textPatterns(_ text: String, _ mods: SigmaModifiers, path: String) throws(SigmaRuleError) -> [SigmaPattern] {
        var tokenLists = [Self.wildcardTokens(text)]
        if mods.windash { tokenLists = tokenLists.flatMap(SigmaEncodings.windash) }
        var cased = mods.cased
        if mods.encoding != nil || mods.base64 || mods.base64Offset {
            var literals: [[UInt8]] = []
            for tokens in tokenLists {
                guard tokens.allSatisfy({ if case .literal = $0 { true } else { false } }) else {
                    throw SigmaRuleError(path: path, reason: "encoding modifiers need a value without wildcards", key: "invalid_value")
                }
                var literal: [UInt8] = []
                for case .literal(let l) in tokens { literal += l }
                literals.append(literal)
            }
            if let encoding = mods.encoding { literals = literals.map { SigmaEncodings.utf16($0, encoding) } }
            if mods.base64 { literals = literals.map(SigmaEncodings.base64) }
            if mods.base64Offset { literals = literals.flatMap(SigmaEncodings.base64Offsets) }
            // Base64 text is case-sensitive: folding it would match other bytes.
            if mods.base64 || mods.base64Offset { cased = true }
            tokenLists = literals.map { [.literal($0)] }
        }
        return tokenLists.map { tokens in
            var t = tokens
            switch mods.position {
            case .equals: break
            case .contains: t = [.star] + t + [.star]
            case .startsWith: t = t + [.star]
            case .endsWith: t = [.star] + t
            }
            return .text(SigmaTextPattern(tokens: t, cased: cased, display: text))
        }
    }

    /// `%name%` placeholders replaced by each configured value.
    private func expanded(_ text: String, path: String) throws(SigmaRuleError) -> [String] {
        var results = [""]
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "%") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "%") else { break }
            let name = String(rest[afterOpen..<close])
            let literal = rest[..<open]
            let values = placeholders[name] ?? []
            results = results.flatMap { prefix in values.map { prefix + literal + $0 } }
            rest = rest[rest.index(after: close)...]
        }
        return results.map { $0 + rest }
    }

    /// Sigma's plain-value syntax: `*` any run, `?` one character, `\*` `\?` `\\` the
    /// character itself, any other backslash literal (as pySigma reads it).
    static func wildcardTokens(_ text: String) -> [SigmaGlobToken] {
        var tokens: [SigmaGlobToken] = []
        var literal: [UInt8] = []
        var escaped = false
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
        }
        for b in text.utf8 {
            if escaped {
                if b == UInt8(ascii: "*") || b == UInt8(ascii: "?") || b == UInt8(ascii: "\\") { literal.append(b) }
                else { literal.append(UInt8(ascii: "\\")); literal.append(b) }
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "*") {
                flush(); tokens.append(.star)
            } else if b == UInt8(ascii: "?") {
                flush(); tokens.append(.one)
            } else {
                literal.append(b)
            }
        }
        if escaped { literal.append(UInt8(ascii: "\\")) }
        flush()
        return tokens
    }
}
