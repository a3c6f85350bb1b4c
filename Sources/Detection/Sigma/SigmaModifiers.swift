/// The value modifiers of `Field|mod1|mod2`, as a set of flags. Order does not matter for
/// the combinations Sigma defines: values are transformed in the fixed order wildcards ->
/// windash -> wide/utf16 -> base64/base64offset -> contains/startswith/endswith.
struct SigmaModifiers: Sendable {
    enum Position: Sendable { case equals, contains, startsWith, endsWith }
    enum Encoding: Sendable { case utf16le, utf16be, utf16 }

    var position: Position = .equals
    var all = false
    var cased = false
    var exists = false
    var regex = false
    var regexIgnoreCase = false, regexMultiline = false, regexDotAll = false
    var cidr = false
    var base64 = false
    var base64Offset = false
    var encoding: Encoding?
    var windash = false
    var compare: SigmaCompareOperator?
    var fieldRef = false
    var expand = false

    /// Reads the modifier names; `path` is the item's YAML key path, for errors.
    init(_ names: [Substring], path: String) throws(SigmaRuleError) {
        func refuse(_ reason: String, _ key: String = "invalid_modifier") -> SigmaRuleError {
            SigmaRuleError(path: path, reason: reason, key: key)
        }
        for name in names {
            switch name {
            case "contains": position = .contains
            case "startswith": position = .startsWith
            case "endswith": position = .endsWith
            case "all": all = true
            case "cased": cased = true
            case "exists": exists = true
            case "re": regex = true
            case "i": regexIgnoreCase = true
            case "m": regexMultiline = true
            case "s": regexDotAll = true
            case "cidr": cidr = true
            case "base64": base64 = true
            case "base64offset": base64Offset = true
            case "wide", "utf16le": encoding = .utf16le
            case "utf16be": encoding = .utf16be
            case "utf16": encoding = .utf16
            case "windash": windash = true
            case "gt": compare = .gt
            case "gte": compare = .gte
            case "lt": compare = .lt
            case "lte": compare = .lte
            case "fieldref": fieldRef = true
            case "expand": expand = true
            case "": throw refuse("empty modifier")
            default: throw refuse("unknown modifier '\(name)'", "unknown_modifier")
            }
        }
        if (regexIgnoreCase || regexMultiline || regexDotAll) && !regex {
            throw refuse("modifiers 'i', 'm' and 's' only apply to 're'")
        }
        let kinds = [regex, cidr, compare != nil, exists, fieldRef].filter { $0 }.count
        if kinds > 1 { throw refuse("'re', 'cidr', 'gt/gte/lt/lte', 'exists' and 'fieldref' cannot be combined") }
        if kinds == 1 && (base64 || base64Offset || encoding != nil || windash) {
            throw refuse("encoding modifiers do not apply to 're', 'cidr', comparisons, 'exists' or 'fieldref'")
        }
        if (regex || cidr || compare != nil || exists) && position != .equals {
            throw refuse("'contains', 'startswith' and 'endswith' do not apply to 're', 'cidr', comparisons or 'exists'")
        }
        if base64 && base64Offset { throw refuse("'base64' and 'base64offset' cannot be combined") }
    }
}
