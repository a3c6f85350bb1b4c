/// A plain Sigma value with its wildcards (`*` any run, `?` one character), compiled to the
/// cheapest byte comparison its shape allows. Case-insensitive comparison folds ASCII only
/// (both sides), which is what Windows paths and command lines need; non-ASCII letters are
/// compared as they are.
struct SigmaTextPattern: Sendable {
    enum Shape: Sendable { case equals, contains, prefix, suffix, glob, anything }

    let shape: Shape
    /// The one literal of equals/contains/prefix/suffix, folded unless `cased`.
    let literal: [UInt8]
    let tokens: [SigmaGlobToken]
    let cased: Bool
    /// The value as the rule wrote it, for indicators.
    let display: String

    init(tokens raw: [SigmaGlobToken], cased: Bool, display: String) {
        var tokens: [SigmaGlobToken] = []
        for token in raw {
            switch (token, tokens.last) {
            case (.star, .star?): continue
            case (.literal(let b), .literal(let a)?): tokens[tokens.count - 1] = .literal(a + b)
            case (.literal(let b), _) where b.isEmpty: continue
            default: tokens.append(token)
            }
        }
        if !cased {
            tokens = tokens.map { if case .literal(let l) = $0 { .literal(SigmaBytes.folded(l)) } else { $0 } }
        }
        self.tokens = tokens
        self.cased = cased
        self.display = display
        switch tokens.count {
        case 0: (shape, literal) = (.equals, [])
        case 1:
            if case .literal(let l) = tokens[0] { (shape, literal) = (.equals, l) }
            else if case .star = tokens[0] { (shape, literal) = (.anything, []) }
            else { (shape, literal) = (.glob, []) }
        case 2:
            if case .star = tokens[0], case .literal(let l) = tokens[1] { (shape, literal) = (.suffix, l) }
            else if case .literal(let l) = tokens[0], case .star = tokens[1] { (shape, literal) = (.prefix, l) }
            else { (shape, literal) = (.glob, []) }
        case 3:
            if case .star = tokens[0], case .literal(let l) = tokens[1], case .star = tokens[2] { (shape, literal) = (.contains, l) }
            else { (shape, literal) = (.glob, []) }
        default: (shape, literal) = (.glob, [])
        }
    }

    func matches(_ value: SigmaValueText) -> Bool {
        let bytes = cased ? value.bytes : value.folded
        switch shape {
        case .anything: return true
        case .equals: return bytes == literal
        case .prefix: return bytes.count >= literal.count && bytes.starts(with: literal)
        case .suffix: return SigmaBytes.hasSuffix(bytes, literal)
        case .contains: return SigmaBytes.contains(bytes, literal)
        case .glob: return SigmaBytes.glob(tokens, bytes)
        }
    }

    /// The longest literal run: any value this pattern matches contains it (folded).
    var needle: [UInt8]? {
        var best: [UInt8]?
        for case .literal(let l) in tokens where l.count > (best?.count ?? 0) { best = l }
        return best.map(SigmaBytes.folded)
    }
}

enum SigmaGlobToken: Sendable, Equatable {
    case literal([UInt8])
    /// `?`: one character (one UTF-8 scalar).
    case one
    /// `*`: any run, empty included.
    case star
}
