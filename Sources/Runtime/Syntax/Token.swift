/// Reserved words of the language.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, param, fn, `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`
    case `true`, `false`, `nil`, and, or, not
}

/// Punctuation and operators.
enum Symbol: String, CaseIterable {
    case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
    case comma = ",", dot = ".", colon = ":", semicolon = ";", assign = "="
    case plus = "+", minus = "-", star = "*", slash = "/", slashSlash = "//", percent = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
}

/// One piece of an interpolated string: literal text, or an embedded expression with an optional format.
enum StringPart {
    case text(String)
    case code(tokens: [Token], format: String?)
}

/// What a token is.
enum TokenKind {
    case identifier(String)
    case int(Int)
    case float(Double)
    case string([StringPart])
    case keyword(Keyword)
    case symbol(Symbol)
    case newline
    /// `# %% Title` at the start of a line.
    case cellMarker(String)
    case end
}

/// A token and where it starts.
struct Token {
    let kind: TokenKind
    let location: SourceLocation

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .int(let value): return "'\(value)'"
        case .float(let value): return "'\(value)'"
        case .string: return "a string"
        case .keyword(let word): return "'\(word.rawValue)'"
        case .symbol(let symbol): return "'\(symbol.rawValue)'"
        case .newline: return "end of line"
        case .cellMarker: return "a cell marker"
        case .end: return "end of input"
        }
    }
}
