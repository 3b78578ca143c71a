/// Recursive-descent parser: tokens → `Program`. Statements here; expressions in Parser+Expressions.
struct Parser {
    var tokens: [Token]
    var index = 0
    /// Open blocks and brackets, bounded so that hostile input cannot overflow the stack.
    var depth = 0
    static let maxDepth = 200
    static let maxChainLinks = 100_000

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole script into cells.
    static func parse(_ file: SourceFile) throws -> Program {
        var parser = Parser(tokens: try Lexer.tokenize(file))
        var cells: [Cell] = []
        var title = "", number = 0, start = SourceLocation(file: file, line: 1, column: 1)
        var statements: [Stmt] = []
        while true {
            parser.skipSeparators()
            let token = parser.current
            if case .cellMarker(let next) = token.kind {
                cells.append(Cell(number: number, title: title, location: start, statements: statements))
                parser.index += 1
                number += 1
                (title, start, statements) = (next, token.location, [])
                continue
            }
            if case .end = token.kind { break }
            statements.append(try parser.statement(topLevel: true))
        }
        cells.append(Cell(number: number, title: title, location: start, statements: statements))
        return Program(file: file, cells: cells)
    }

    // MARK: tokens

    var current: Token { tokens[min(index, tokens.count - 1)] }

    func fail(_ message: String, at token: Token? = nil) -> ScriptError {
        let token = token ?? current
        var incomplete = false
        if case .end = token.kind { incomplete = true }
        return ScriptError(.syntax, message, at: token.location, incomplete: incomplete)
    }

    func check(_ symbol: Symbol) -> Bool {
        if case .symbol(let s) = current.kind { return s == symbol }
        return false
    }

    func check(_ keyword: Keyword) -> Bool {
        if case .keyword(let k) = current.kind { return k == keyword }
        return false
    }

    mutating func match(_ symbol: Symbol) -> Bool {
        guard check(symbol) else { return false }
        index += 1
        return true
    }

    mutating func match(_ keyword: Keyword) -> Bool {
        guard check(keyword) else { return false }
        index += 1
        return true
    }

    mutating func expect(_ symbol: Symbol, _ context: String) throws {
        guard match(symbol) else { throw fail("expected '\(symbol.rawValue)' \(context), found \(current.display)") }
    }

    mutating func identifier(_ context: String) throws -> String {
        guard case .identifier(let name) = current.kind else {
            if case .keyword(let word) = current.kind {
                throw fail("'\(word.rawValue)' is a reserved word and cannot be used \(context)")
            }
            throw fail("expected a name \(context), found \(current.display)")
        }
        index += 1
        return name
    }

    mutating func skipNewlines() {
        while case .newline = current.kind { index += 1 }
    }

    mutating func skipSeparators() {
        while true {
            if case .newline = current.kind { index += 1 } else if check(.semicolon) { index += 1 } else { return }
        }
    }

    mutating func nest() throws {
        depth += 1
        if depth > Parser.maxDepth { throw fail("nesting deeper than \(Parser.maxDepth) levels") }
    }

    /// One more operator in a flat chain like `1 + 1 + … + 1`: parsed in a loop, not nested, but
    /// the tree it builds is as deep as the chain, so its length is bounded (far above any script's).
    func chain(_ links: inout Int) throws {
        links += 1
        if links > Parser.maxChainLinks { throw fail("more than \(Parser.maxChainLinks) operators in one expression") }
    }

    // MARK: statements

    mutating func statement(topLevel: Bool = false) throws -> Stmt {
        let start = current
        let kind: StmtKind
        switch start.kind {
        case .keyword(.let):
            index += 1
            let pattern = try self.pattern()
            try expect(.assign, "after the names in 'let'")
            kind = .let(pattern, try expression())
        case .keyword(.param):
            guard topLevel else { throw fail("'param' is only allowed at the top level of a script") }
            index += 1
            let name = try identifier("after 'param'")
            try expect(.assign, "after the param name (params need a default: param \(name) = ...)")
            kind = .param(name, try expression())
        case .keyword(.fn):
            index += 1
            guard case .identifier = current.kind else {
                index -= 1
                kind = .expression(try expression())
                break
            }
            kind = .function(try functionRest(name: try identifier("after 'fn'"), location: start.location))
        case .keyword(.if):
            kind = try ifStatement()
        case .keyword(.for):
            index += 1
            let pattern = try forPattern()
            guard match(.in) else { throw fail("expected 'in' after the loop variable, found \(current.display)") }
            let sequence = try expression()
            kind = .for(pattern, sequence, try block("for the loop body"))
        case .keyword(.while):
            index += 1
            let condition = try expression()
            kind = .while(condition, try block("for the loop body"))
        case .keyword(.break): index += 1; kind = .break
        case .keyword(.continue): index += 1; kind = .continue
        case .keyword(.return):
            index += 1
            if atStatementEnd { kind = .return(nil) } else { kind = .return(try expression()) }
        default:
            let target = try expression()
            if let op = assignmentOperator() {
                index += 1
                kind = .assign(target: target, op: op.binary, value: try expression())
            } else {
                kind = .expression(target)
            }
        }
        guard atStatementEnd else {
            throw fail("expected end of line after the statement, found \(current.display)")
        }
        return Stmt(kind: kind, location: start.location)
    }

    var atStatementEnd: Bool {
        switch current.kind {
        case .newline, .end, .cellMarker: return true
        case .symbol(.semicolon), .symbol(.rbrace): return true
        default: return false
        }
    }

    private func assignmentOperator() -> (symbol: Symbol, binary: BinaryOperator?)? {
        guard case .symbol(let symbol) = current.kind else { return nil }
        switch symbol {
        case .assign: return (symbol, nil)
        case .plusAssign: return (symbol, .add)
        case .minusAssign: return (symbol, .subtract)
        case .starAssign: return (symbol, .multiply)
        case .slashAssign: return (symbol, .divide)
        default: return nil
        }
    }

    private mutating func ifStatement() throws -> StmtKind {
        var branches: [(condition: Expr, body: [Stmt])] = []
        var otherwise: [Stmt]?
        repeat {
            index += 1   // 'if'
            let condition = try expression()
            branches.append((condition, try block("after the 'if' condition")))
            let saved = index
            skipNewlines()
            guard match(.else) else { index = saved; break }
            if !check(.if) {
                otherwise = try block("after 'else'")
                break
            }
        } while true
        return .if(branches: branches, otherwise: otherwise)
    }

    /// `{ statements }`
    mutating func block(_ context: String) throws -> [Stmt] {
        try expect(.lbrace, context)
        try nest()
        defer { depth -= 1 }
        var body: [Stmt] = []
        while true {
            skipSeparators()
            if match(.rbrace) { return body }
            if case .end = current.kind { throw fail("expected '}' to close the block, found end of input") }
            if case .cellMarker = current.kind { throw fail("a cell marker cannot appear inside a block") }
            body.append(try statement())
        }
    }

    /// After `fn name`: `(params) { body }` or `(params) = expr`.
    mutating func functionRest(name: String?, location: SourceLocation) throws -> FunctionDecl {
        try expect(.lparen, "to open the parameter list")
        var parameters: [ParameterDecl] = []
        while !check(.rparen) {
            let at = current.location
            let parameter = try identifier("for a parameter")
            if parameters.contains(where: { $0.name == parameter }) {
                throw ScriptError(.syntax, "parameter '\(parameter)' appears twice", at: at)
            }
            var defaultValue: Expr?
            if match(.assign) { defaultValue = try expression() } else if let previous = parameters.last,
                previous.defaultValue != nil {
                throw ScriptError(.syntax, "parameter '\(parameter)' needs a default because the one before it has one", at: at)
            }
            parameters.append(ParameterDecl(name: parameter, defaultValue: defaultValue, location: at))
            if !match(.comma) { break }
        }
        try expect(.rparen, "to close the parameter list")
        if match(.assign) {
            let value = try expression()
            return FunctionDecl(name: name, parameters: parameters,
                                body: [Stmt(kind: .return(value), location: value.location)], location: location)
        }
        return FunctionDecl(name: name, parameters: parameters, body: try block("for the function body (or '= expression')"),
                            location: location)
    }

    /// A name or `(a, b, ...)`, possibly nested.
    mutating func pattern() throws -> Pattern {
        let at = current.location
        if match(.lparen) {
            try nest()
            defer { depth -= 1 }
            var items: [Pattern] = []
            while !check(.rparen) {
                items.append(try pattern())
                if !match(.comma) { break }
            }
            try expect(.rparen, "to close the pattern")
            guard !items.isEmpty else { throw ScriptError(.syntax, "empty pattern '()'", at: at) }
            return .tuple(items, at)
        }
        return .name(try identifier("to bind"), at)
    }

    /// `for x in`, `for (i, x) in`, or `for i, x in`.
    private mutating func forPattern() throws -> Pattern {
        let at = current.location
        var items = [try pattern()]
        while match(.comma) { items.append(try pattern()) }
        return items.count == 1 ? items[0] : .tuple(items, at)
    }
}
