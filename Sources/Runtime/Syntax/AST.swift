/// Binary operators, by the symbol that writes them.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in", notContains = "not in"

    /// `<`, `<=`, `>`, `>=`, `==`, `!=`
    var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
        default: return false
        }
    }
}

/// An expression as written.
indirect enum ExprKind {
    case int(Int)
    case float(Double)
    case string(String)
    /// Text and `{expr:format}` pieces of an interpolated string.
    case interpolated([InterpolationPiece])
    case bool(Bool)
    case null
    case name(String)
    case list([Expr])
    case tuple([Expr])
    case dict([(key: Expr, value: Expr)])
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    /// `then if condition else otherwise`
    case conditional(condition: Expr, then: Expr, otherwise: Expr)
    case call(Expr, [Argument])
    case index(Expr, Expr)
    case slice(Expr, start: Expr?, end: Expr?)
    case member(Expr, String)
    case function(FunctionDecl)
}

enum InterpolationPiece {
    case text(String)
    case value(Expr, format: String?)
}

struct Expr {
    let kind: ExprKind
    let location: SourceLocation
}

/// `value` or `label: value` in a call.
struct Argument {
    let label: String?
    let value: Expr
    let location: SourceLocation
}

/// A name, or a parenthesised group of patterns, that `let` and `for` bind.
indirect enum Pattern {
    case name(String, SourceLocation)
    case tuple([Pattern], SourceLocation)

    var names: [(String, SourceLocation)] {
        switch self {
        case .name(let name, let location): return [(name, location)]
        case .tuple(let items, _): return items.flatMap(\.names)
        }
    }
}

struct ParameterDecl {
    let name: String
    let defaultValue: Expr?
    let location: SourceLocation
}

/// `fn name(params) { body }`, `fn name(params) = expr`, or the anonymous forms.
struct FunctionDecl {
    let name: String?
    let parameters: [ParameterDecl]
    let body: [Stmt]
    let location: SourceLocation
}

indirect enum StmtKind {
    case `let`(Pattern, Expr)
    case param(String, Expr)
    case function(FunctionDecl)
    /// `target = value`, or `target op= value` when `op` is set.
    case assign(target: Expr, op: BinaryOperator?, value: Expr)
    case `if`(branches: [(condition: Expr, body: [Stmt])], otherwise: [Stmt]?)
    case `for`(Pattern, Expr, [Stmt])
    case `while`(Expr, [Stmt])
    case `break`
    case `continue`
    case `return`(Expr?)
    case expression(Expr)
}

struct Stmt {
    let kind: StmtKind
    let location: SourceLocation
}

/// A `# %% Title` section; cell 0 is whatever precedes the first marker and always runs.
public struct Cell {
    public let number: Int
    public let title: String
    public let location: SourceLocation
    let statements: [Stmt]
}

/// A parsed script.
public struct Program {
    public let file: SourceFile
    public let cells: [Cell]

    /// The `param` declarations, in order, with their locations.
    public var parameters: [(name: String, location: SourceLocation)] {
        cells.flatMap(\.statements).compactMap { statement in
            if case .param(let name, _) = statement.kind { return (name, statement.location) }
            return nil
        }
    }
}

extension Program {
    /// Parses `file`; throws a `ScriptError` at the first syntax error.
    public static func parse(_ file: SourceFile) throws -> Program {
        try Parser.parse(file)
    }
}
