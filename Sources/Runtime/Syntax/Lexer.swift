/// Turns script text into tokens. Newlines separate statements except inside `(` `)` and `[` `]`;
/// `#` starts a comment, and `# %% Title` at the start of a line marks a cell.
struct Lexer {
    private let file: SourceFile
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var lineStart = 0
    /// Open brackets; a newline inside `(` or `[` is not a statement separator.
    private var brackets: [Unicode.Scalar] = []
    private var openedAt: [SourceLocation] = []
    /// Strings inside `{…}` inside strings; bounded like the parser's nesting.
    private var interpolationDepth = 0

    init(file: SourceFile) {
        self.file = file
        self.scalars = Array(file.text.unicodeScalars)
    }

    /// All tokens of the file, ending with `.end`.
    static func tokenize(_ file: SourceFile) throws -> [Token] {
        var lexer = Lexer(file: file)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if case .end = token.kind { return tokens }
        }
    }

    private var here: SourceLocation {
        SourceLocation(file: file, line: line, column: position - lineStart + 1)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private mutating func advance() {
        if scalars[position] == "\n" {
            line += 1
            lineStart = position + 1
        }
        position += 1
    }

    private func fail(_ message: String, at location: SourceLocation? = nil, incomplete: Bool = false) -> ScriptError {
        ScriptError(.syntax, message, at: location ?? here, incomplete: incomplete)
    }

    private mutating func next() throws -> Token {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" {
                advance()
            } else if c == "\\" && peek(1) == "\n" {
                advance(); advance()   // explicit line continuation
            } else if c == "#" {
                if let marker = cellMarker() { return marker }
                while let d = peek(), d != "\n" { advance() }
            } else if c == "\n" {
                let start = here
                advance()
                if brackets.last != "(" && brackets.last != "[" { return Token(kind: .newline, location: start) }
            } else {
                break
            }
        }
        let start = here
        guard let c = peek() else {
            if let open = brackets.last, let location = openedAt.last {
                throw fail("'\(open)' is never closed", at: location, incomplete: true)
            }
            return Token(kind: .end, location: start)
        }
        if c.properties.isAlphabetic || c == "_" { return Token(kind: word(), location: start) }
        if c.properties.numericType != nil && c.isASCII { return Token(kind: try number(start), location: start) }
        if c == "\"" || c == "'" { return Token(kind: .string(try string(quote: c, start: start)), location: start) }
        return Token(kind: .symbol(try symbol(start)), location: start)
    }

    /// `# %% Title` at column 1 and outside brackets.
    private mutating func cellMarker() -> Token? {
        guard position == lineStart, brackets.isEmpty, peek(1) == " ", peek(2) == "%", peek(3) == "%" else { return nil }
        let start = here
        var title = ""
        for _ in 0..<4 { advance() }
        while let c = peek(), c != "\n" { title.unicodeScalars.append(c); advance() }
        return Token(kind: .cellMarker(title.trimmingWhitespace()), location: start)
    }

    private mutating func word() -> TokenKind {
        var text = ""
        while let c = peek(), c.properties.isAlphabetic || c == "_" || (c.isASCII && c.properties.numericType != nil) {
            text.unicodeScalars.append(c)
            advance()
        }
        if let keyword = Keyword(rawValue: text) { return .keyword(keyword) }
        return .identifier(text)
    }

    private mutating func number(_ start: SourceLocation) throws -> TokenKind {
        var text = ""
        var isFloat = false
        func digits() {
            while let c = peek(), (c.isASCII && c.properties.numericType != nil) || c == "_" {
                if c != "_" { text.unicodeScalars.append(c) }
                advance()
            }
        }
        digits()
        if peek() == ".", let d = peek(1), d.isASCII, d.properties.numericType != nil {
            isFloat = true
            text.append("."); advance()
            digits()
        }
        if peek() == "e" || peek() == "E" {
            let sign = peek(1) == "+" || peek(1) == "-"
            if let d = peek(sign ? 2 : 1), d.isASCII, d.properties.numericType != nil {
                isFloat = true
                text.append("e"); advance()
                if sign { text.unicodeScalars.append(scalars[position]); advance() }
                digits()
            }
        }
        if let c = peek(), c.properties.isAlphabetic || c == "_" {
            throw fail("a number cannot be followed by '\(c)'")
        }
        if isFloat {
            guard let value = Double(text) else { throw fail("malformed number '\(text)'", at: start) }
            return .float(value)
        }
        guard let value = Int(text) else {
            throw fail("integer \(text) is too large (the limit is \(Int.max)); write it as \(text).0 for a float", at: start)
        }
        return .int(value)
    }

    private mutating func symbol(_ start: SourceLocation) throws -> Symbol {
        let c = scalars[position]
        let pair = peek(1).map { String(c) + String($0) }
        if let pair, let symbol = Symbol(rawValue: pair) {
            advance(); advance()
            return symbol
        }
        guard let symbol = Symbol(rawValue: String(c)) else {
            if c == "!" { throw fail("unexpected '!'; write 'not' for negation") }
            if c == "&" || c == "|" { throw fail("unexpected '\(c)'; write 'and' / 'or'") }
            throw fail("unexpected character '\(c)'")
        }
        advance()
        switch symbol {
        case .lparen, .lbracket, .lbrace:
            brackets.append(c)
            openedAt.append(start)
        case .rparen, .rbracket, .rbrace:
            let opener: Unicode.Scalar = symbol == .rparen ? "(" : symbol == .rbracket ? "[" : "{"
            guard brackets.last == opener else {
                if let open = brackets.last { throw fail("'\(c)' does not match the open '\(open)'", at: start) }
                throw fail("'\(c)' has no matching opening bracket", at: start)
            }
            brackets.removeLast()
            openedAt.removeLast()
        default: break
        }
        return symbol
    }

    /// A quoted string; `{expr}` or `{expr:format}` inside interpolates, `{{` and `}}` are literal braces.
    private mutating func string(quote: Unicode.Scalar, start: SourceLocation) throws -> [StringPart] {
        advance()
        var parts: [StringPart] = []
        var text = ""
        while true {
            guard let c = peek(), c != "\n" else {
                throw fail("unterminated string", at: start, incomplete: peek() == nil)
            }
            advance()
            switch c {
            case quote:
                if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
                return parts
            case "\\":
                guard let e = peek() else { throw fail("unterminated string", at: start, incomplete: true) }
                let escaped: Unicode.Scalar
                switch e {
                case "n": escaped = "\n"
                case "t": escaped = "\t"
                case "r": escaped = "\r"
                case "0": escaped = "\0"
                case "\\", "\"", "'", "{", "}": escaped = e
                default: throw fail("unknown escape '\\\(e)'")
                }
                text.unicodeScalars.append(escaped)
                advance()
            case "{" where peek() == "{", "}" where peek() == "}":
                text.unicodeScalars.append(c)
                advance()
            case "}":
                throw fail("single '}' in a string; write '}}' for a literal brace")
            case "{":
                if !text.isEmpty { parts.append(.text(text)); text = "" }
                parts.append(try interpolation())
            default:
                text.unicodeScalars.append(c)
            }
        }
    }

    /// The tokens of `{expr[:format]}` after the `{`, through the closing `}`.
    private mutating func interpolation() throws -> StringPart {
        let open = here
        guard interpolationDepth < 16 else { throw fail("strings nested too deeply inside '{…}'") }
        var inner = Lexer(file: file, startingAt: self)
        inner.interpolationDepth = interpolationDepth + 1
        var tokens: [Token] = []
        var format: String?
        while true {
            while inner.peek() == " " || inner.peek() == "\t" { inner.advance() }
            if inner.brackets.isEmpty, let c = inner.peek(), c == "}" || c == ":" {
                inner.advance()
                if c == ":" {
                    var spec = ""
                    while let d = inner.peek(), d != "}", d != "\n" { spec.unicodeScalars.append(d); inner.advance() }
                    guard inner.peek() == "}" else { throw fail("unterminated '{' in string", at: open, incomplete: inner.peek() == nil) }
                    inner.advance()
                    format = spec
                }
                break
            }
            let token = try inner.next()
            switch token.kind {
            case .end: throw fail("unterminated '{' in string", at: open, incomplete: true)
            case .newline, .cellMarker: throw fail("unterminated '{' in string", at: open)
            default: tokens.append(token)
            }
        }
        guard !tokens.isEmpty else { throw fail("empty '{}' in string; write '{{}}' for literal braces", at: open) }
        tokens.append(Token(kind: .end, location: inner.here))
        position = inner.position
        return .code(tokens: tokens, format: format)
    }

    private init(file: SourceFile, startingAt outer: Lexer) {
        self.file = file
        self.scalars = outer.scalars
        self.position = outer.position
        self.line = outer.line
        self.lineStart = outer.lineStart
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
