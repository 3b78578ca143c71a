/// Expressions, loosest binding first: `a if c else b`, `or`, `and`, `not`, comparisons and `in`,
/// `+ -`, `* / // %`, unary `-`, `**`, then calls, indexing and `.member`.
extension Parser {
    mutating func expression() throws -> Expr {
        try nest()
        defer { depth -= 1 }
        let value = try logical(isOr: true)
        guard check(.if) else { return value }
        index += 1
        let condition = try logical(isOr: true)
        guard match(.else) else { throw fail("expected 'else' in 'value if condition else other', found \(current.display)") }
        let otherwise = try expression()
        return Expr(kind: .conditional(condition: condition, then: value, otherwise: otherwise), location: value.location)
    }

    /// `a or b` (`isOr`) over `a and b` over `not`-expressions; chains bind to the left.
    private mutating func logical(isOr: Bool) throws -> Expr {
        let entry = depth
        defer { depth = entry }
        var left = isOr ? try logical(isOr: false) : try notExpression()
        var links = 0
        while check(isOr ? .or : .and) {
            let at = current.location
            index += 1
            try chain(&links)
            let right = isOr ? try logical(isOr: false) : try notExpression()
            left = Expr(kind: isOr ? .or(left, right) : .and(left, right), location: at)
        }
        return left
    }

    private mutating func notExpression() throws -> Expr {
        let at = current.location
        if match(.not) {
            try nest()
            defer { depth -= 1 }
            return Expr(kind: .not(try notExpression()), location: at)
        }
        return try comparison()
    }

    private mutating func comparison() throws -> Expr {
        let left = try additive()
        let at = current.location
        let op: BinaryOperator
        switch current.kind {
        case .symbol(.equal): op = .equal
        case .symbol(.notEqual): op = .notEqual
        case .symbol(.less): op = .less
        case .symbol(.lessEqual): op = .lessEqual
        case .symbol(.greater): op = .greater
        case .symbol(.greaterEqual): op = .greaterEqual
        case .keyword(.in): op = .contains
        case .keyword(.not):
            guard index + 1 < tokens.count, case .keyword(.in) = tokens[index + 1].kind else { return left }
            index += 1
            op = .notContains
        default: return left
        }
        index += 1
        let right = try additive()
        return Expr(kind: .binary(op, left, right), location: at)
    }

    private mutating func additive() throws -> Expr {
        let entry = depth
        defer { depth = entry }
        var left = try term()
        var links = 0
        while true {
            let at = current.location
            let op: BinaryOperator
            if check(.plus) { op = .add } else if check(.minus) { op = .subtract } else { return left }
            index += 1
            try chain(&links)
            left = Expr(kind: .binary(op, left, try term()), location: at)
        }
    }

    private mutating func term() throws -> Expr {
        let entry = depth
        defer { depth = entry }
        var left = try unary()
        var links = 0
        while true {
            let at = current.location
            let op: BinaryOperator
            switch current.kind {
            case .symbol(.star): op = .multiply
            case .symbol(.slash): op = .divide
            case .symbol(.slashSlash): op = .floorDivide
            case .symbol(.percent): op = .modulo
            default: return left
            }
            index += 1
            try chain(&links)
            left = Expr(kind: .binary(op, left, try unary()), location: at)
        }
    }

    private mutating func unary() throws -> Expr {
        let at = current.location
        if match(.minus) {
            try nest()
            defer { depth -= 1 }
            return Expr(kind: .negate(try unary()), location: at)
        }
        if match(.plus) { return try unary() }
        return try power()
    }

    private mutating func power() throws -> Expr {
        let base = try postfix()
        let at = current.location
        guard match(.power) else { return base }
        try nest()
        defer { depth -= 1 }
        return Expr(kind: .binary(.power, base, try unary()), location: at)
    }

    private mutating func postfix() throws -> Expr {
        let entry = depth
        defer { depth = entry }
        var value = try primary()
        while true {
            let at = current.location
            if check(.lparen) || check(.lbracket) || check(.dot) { try nest() }
            if match(.lparen) {
                value = Expr(kind: .call(value, try arguments()), location: value.location)
            } else if match(.lbracket) {
                value = try subscriptRest(value, at: at)
            } else if match(.dot) {
                value = Expr(kind: .member(value, try identifier("after '.'")), location: at)
            } else {
                return value
            }
        }
    }

    /// After `(` of a call: `value`, `label: value` or `label = value`, separated by commas.
    private mutating func arguments() throws -> [Argument] {
        var result: [Argument] = []
        while !check(.rparen) {
            let at = current.location
            var label: String?
            if case .identifier(let name) = current.kind, index + 1 < tokens.count,
               case .symbol(let next) = tokens[index + 1].kind, next == .colon || next == .assign {
                label = name
                index += 2
            } else if result.last?.label != nil {
                throw fail("positional argument after a keyword argument")
            }
            if let label, result.contains(where: { $0.label == label }) {
                throw ScriptError(.syntax, "argument '\(label)' given twice", at: at)
            }
            result.append(Argument(label: label, value: try expression(), location: at))
            if !match(.comma) { break }
        }
        try expect(.rparen, "to close the argument list")
        return result
    }

    private mutating func subscriptRest(_ base: Expr, at: SourceLocation) throws -> Expr {
        var start: Expr?
        if !check(.colon) { start = try expression() }
        if match(.colon) {
            var end: Expr?
            if !check(.rbracket) { end = try expression() }
            try expect(.rbracket, "to close the slice")
            return Expr(kind: .slice(base, start: start, end: end), location: at)
        }
        try expect(.rbracket, "to close the index")
        guard let start else { throw fail("empty index '[]'") }
        return Expr(kind: .index(base, start), location: at)
    }

    private mutating func primary() throws -> Expr {
        let token = current
        let at = token.location
        index += 1
        switch token.kind {
        case .int(let value): return Expr(kind: .int(value), location: at)
        case .float(let value): return Expr(kind: .float(value), location: at)
        case .string(let parts): return Expr(kind: try stringKind(parts), location: at)
        case .keyword(.true): return Expr(kind: .bool(true), location: at)
        case .keyword(.false): return Expr(kind: .bool(false), location: at)
        case .keyword(.nil): return Expr(kind: .null, location: at)
        case .identifier(let name): return Expr(kind: .name(name), location: at)
        case .keyword(.fn):
            return Expr(kind: .function(try functionRest(name: nil, location: at)), location: at)
        case .symbol(.lparen):
            // The `expression()` inside counts the level: one per parenthesis, as documented.
            if match(.rparen) { return Expr(kind: .tuple([]), location: at) }
            let first = try expression()
            if match(.rparen) { return first }
            var items = [first]
            while match(.comma) {
                if check(.rparen) { break }
                items.append(try expression())
            }
            try expect(.rparen, "to close the parenthesis")
            return Expr(kind: .tuple(items), location: at)
        case .symbol(.lbracket):
            var items: [Expr] = []
            while !check(.rbracket) {
                items.append(try expression())
                if !match(.comma) { break }
            }
            try expect(.rbracket, "to close the list")
            return Expr(kind: .list(items), location: at)
        case .symbol(.lbrace):
            return Expr(kind: try dictionaryRest(), location: at)
        default:
            index -= 1
            throw fail("expected a value, found \(token.display)")
        }
    }

    /// After `{`: `key: value` pairs; a bare name as key is a string (`{lr: 0.1}` = `{"lr": 0.1}`).
    private mutating func dictionaryRest() throws -> ExprKind {
        try nest()
        defer { depth -= 1 }
        var pairs: [(key: Expr, value: Expr)] = []
        skipNewlines()
        while !check(.rbrace) {
            let at = current.location
            let key: Expr
            if case .identifier(let name) = current.kind, index + 1 < tokens.count,
               case .symbol(.colon) = tokens[index + 1].kind {
                key = Expr(kind: .string(name), location: at)
                index += 1
            } else {
                key = try expression()
            }
            try expect(.colon, "between a key and its value")
            skipNewlines()
            pairs.append((key, try expression()))
            skipNewlines()
            if !match(.comma) { break }
            skipNewlines()
        }
        try expect(.rbrace, "to close the dictionary")
        return .dict(pairs)
    }

    private func stringKind(_ parts: [StringPart]) throws -> ExprKind {
        if parts.count == 1, case .text(let text) = parts[0] { return .string(text) }
        var pieces: [InterpolationPiece] = []
        for part in parts {
            switch part {
            case .text(let text): pieces.append(.text(text))
            case .code(let tokens, let format):
                var inner = Parser(tokens: tokens)
                inner.depth = depth
                do {
                    let value = try inner.expression()
                    guard case .end = inner.current.kind else {
                        throw inner.fail("unexpected \(inner.current.display) inside '{...}'")
                    }
                    pieces.append(.value(value, format: format))
                } catch let error as ScriptError {
                    // The embedded expression ends at its '}', never at the end of the input.
                    throw ScriptError(error.kind, error.message, at: error.location)
                }
            }
        }
        return .interpolated(pieces)
    }
}
