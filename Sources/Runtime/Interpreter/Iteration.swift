/// `range(start, stop, step)`: a lazy integer sequence, so counting loops build no list.
public final class RangeObject: ScriptObject {
    public let start: Int, stop: Int, step: Int

    public init(start: Int, stop: Int, step: Int) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    public var typeName: String { "range" }
    public var summary: String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }

    /// How many numbers; computed in unsigned arithmetic so extreme bounds cannot overflow.
    public var count: Int {
        let forward = step > 0
        guard forward ? stop > start : start > stop else { return 0 }
        let distance = forward ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
        let stride = step.magnitude
        return Int(clamping: (distance - 1) / stride + 1)
    }

    public func element(_ index: Int) -> Int { start &+ index &* step }

    public func contains(_ n: Int) -> Bool {
        guard step > 0 ? (n >= start && n < stop) : (n <= start && n > stop) else { return false }
        let offset = step > 0 ? UInt(bitPattern: n &- start) : UInt(bitPattern: start &- n)
        return offset % step.magnitude == 0
    }
}

/// What `for` and the sequence builtins iterate.
enum Iteration {
    /// Elements of lists and tuples, characters of strings, keys of dicts, numbers of a range;
    /// nil for anything else.
    static func values(of value: Value) throws -> [Value]? {
        switch value {
        case .list(let box): return box.items
        case .tuple(let items): return items
        case .string(let text): return text.map { .string(String($0)) }
        case .dict(let box): return box.keys.map(\.value)
        case .object(let range as RangeObject):
            guard range.count <= Limits.elements else { throw BuiltinError("range of \(range.count) numbers is too long to materialise") }
            return (0..<range.count).map { .int(range.element($0)) }
        default: return nil
        }
    }
}

/// Turns `--set name=text` into a value shaped like the param's default: text for string params,
/// a number for number params, and a literal (list, bool, …) otherwise.
public enum ParameterOverride {
    public static func convert(_ text: String, like fallback: Value) throws -> Value {
        switch fallback {
        case .string: return .string(text)
        case .int:
            if let number = Int(text) { return .int(number) }
            if Double(text) != nil { throw BuiltinError("the param is an int; got '\(text)'") }
        case .float:
            if let number = Double(text) { return .float(number) }
        case .bool:
            if text == "true" { return true }
            if text == "false" { return false }
        default:
            return try literal(text)
        }
        throw BuiltinError("expected \(fallback.typeName) like the default \(fallback.repr), got '\(text)'")
    }

    /// Parses `text` as a literal value: number, string, bool, nil, list/tuple/dict of literals.
    /// Anything else is taken as a plain string (so `--set out=runs/a` needs no quotes).
    public static func literal(_ text: String) throws -> Value {
        let file = SourceFile(name: "<--set>", text: text)
        guard let tokens = try? Lexer.tokenize(file) else { return .string(text) }
        var parser = Parser(tokens: tokens)
        guard let expression = try? parser.expression(), case .end = parser.current.kind,
              let value = constant(expression) else { return .string(text) }
        return value
    }

    static func constant(_ expression: Expr) -> Value? {
        switch expression.kind {
        case .int(let n): return .int(n)
        case .float(let x): return .float(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .negate(let inner):
            switch constant(inner) {
            case .int(let n)?: return n == Int.min ? nil : .int(-n)
            case .float(let x)?: return .float(-x)
            default: return nil
            }
        case .list(let items):
            let values = items.compactMap(constant)
            return values.count == items.count ? .list(ListBox(values)) : nil
        case .tuple(let items):
            let values = items.compactMap(constant)
            return values.count == items.count ? .tuple(values) : nil
        default: return nil
        }
    }
}

extension Program {
    /// The default of `param name` when it is a literal (`0.1`, `"x"`, `[1, 2]`), else nil: lets a
    /// sweep check its values' types before starting any run.
    public func literalDefault(of name: String) -> Value? {
        for statement in cells.flatMap(\.statements) {
            if case .param(name, let expression) = statement.kind { return ParameterOverride.constant(expression) }
        }
        return nil
    }
}
