import Foundation

/// Arithmetic, comparison and membership on values. Integer overflow and division by zero are
/// errors (not traps, not silent inf); ints mixed with floats give floats.
/// Engine objects take part through registry members named by the operator (`"+"` with the object
/// on the left, `"r+"` with it on the right), so tensors can add and multiply.
enum Operators {
    @inline(__always)
    static func binary(_ op: BinaryOperator, _ left: Value, _ right: Value, _ interpreter: Interpreter) throws -> Value {
        // Fast path: the scalar loop of every script.
        if case .int(let a) = left, case .int(let b) = right {
            switch op {
            case .add: return try checked(a.addingReportingOverflow(b), a, "+", b)
            case .subtract: return try checked(a.subtractingReportingOverflow(b), a, "-", b)
            case .multiply: return try checked(a.multipliedReportingOverflow(by: b), a, "*", b)
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return compare(op, a, b)
            case .divide:
                guard b != 0 else { throw BuiltinError("division by zero") }
                return .float(Double(a) / Double(b))
            case .floorDivide: return try floorDivide(a, b)
            case .modulo: return try modulo(a, b)
            case .power: return try power(a, b)
            case .contains, .notContains: break
            }
        }
        if let a = left.asDouble, let b = right.asDouble {
            switch op {
            case .add: return .float(a + b)
            case .subtract: return .float(a - b)
            case .multiply: return .float(a * b)
            case .divide:
                guard b != 0 else { throw BuiltinError("division by zero") }
                return .float(a / b)
            case .floorDivide:
                guard b != 0 else { throw BuiltinError("division by zero") }
                return .float((a / b).rounded(.down))
            case .modulo:
                guard b != 0 else { throw BuiltinError("modulo by zero") }
                let r = fmod(a, b)
                return .float(r != 0 && (r < 0) != (b < 0) ? r + b : r)
            case .power: return .float(pow(a, b))
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return compare(op, a, b)
            case .contains, .notContains: break
            }
        }
        switch op {
        case .equal: return .bool(equal(left, right))
        case .notEqual: return .bool(!equal(left, right))
        case .contains: return .bool(try contains(right, left))
        case .notContains: return .bool(try !contains(right, left))
        default: break
        }
        if let result = try engineOperator(op, left, right, interpreter) { return result }
        if case .string(let a) = left, case .string(let b) = right, op.isComparison { return compare(op, a, b) }
        switch (op, left, right) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)):
            try ListMemory.check(a.items.count + b.items.count)
            return .list(ListBox(a.items + b.items))
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.multiply, .string(let a), .int(let n)), (.multiply, .int(let n), .string(let a)):
            return .string(String(repeating: a, count: try repeatCount(n, a.count)))
        case (.multiply, .list(let a), .int(let n)), (.multiply, .int(let n), .list(let a)):
            let count = try repeatCount(n, a.items.count)
            try ListMemory.check(count * a.items.count)
            return .list(ListBox(Array([[Value]](repeating: a.items, count: count).joined())))
        default:
            throw BuiltinError("cannot apply '\(op.rawValue)' to \(left.typeName) and \(right.typeName)")
        }
    }

    /// The ordering operators (and `==`/`!=`) on one comparable type; `.null` for any other operator.
    @inline(__always)
    private static func compare<T: Comparable>(_ op: BinaryOperator, _ a: T, _ b: T) -> Value {
        switch op {
        case .less: return .bool(a < b)
        case .lessEqual: return .bool(a <= b)
        case .greater: return .bool(a > b)
        case .greaterEqual: return .bool(a >= b)
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        default: return .null
        }
    }

    static func negate(_ value: Value, _ interpreter: Interpreter) throws -> Value {
        switch value {
        case .int(let a):
            guard a != Int.min else { throw BuiltinError("integer overflow in -(\(a))") }
            return .int(-a)
        case .float(let a): return .float(-a)
        case .object(let object):
            if let member = interpreter.registry.member(object.typeName, "neg") {
                return try member.invoke(interpreter, receiver: value, positional: [], keywords: [])
            }
        default: break
        }
        throw BuiltinError("cannot negate \(value.typeName)")
    }

    /// Structural equality; ints equal floats of the same value; Engine objects by identity.
    /// Structures nested deeper than 200 levels (only cyclic ones, in practice) compare unequal.
    static func equal(_ left: Value, _ right: Value, depth: Int = 0) -> Bool {
        guard depth < 200 else { return false }
        switch (left, right) {
        case (.null, .null), (.undefined, .undefined): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a === b || elementsEqual(a.items, b.items, depth)
        case (.tuple(let a), .tuple(let b)): return elementsEqual(a, b, depth)
        case (.dict(let a), .dict(let b)):
            return a === b || (a.count == b.count && a.pairs.allSatisfy { pair in
                b[pair.key].map { equal($0, pair.value, depth: depth + 1) } ?? false
            })
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        default:
            if let a = left.asDouble, let b = right.asDouble { return a == b }
            return false
        }
    }

    private static func elementsEqual(_ a: [Value], _ b: [Value], _ depth: Int) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { equal($0, $1, depth: depth + 1) }
    }

    /// `item in container`
    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .list(let box): return box.items.contains { equal($0, item) }
        case .tuple(let items): return items.contains { equal($0, item) }
        case .dict(let box): return DictKey(item).map { box[$0] != nil } ?? false
        case .string(let text):
            guard case .string(let part) = item else { throw BuiltinError("'in' on a string needs a string, got \(item.typeName)") }
            return part.isEmpty || text.contains(part)
        case .object(let object as RangeObject): 
            guard case .int(let n) = item else { return false }
            return object.contains(n)
        default: throw BuiltinError("'in' needs a list, tuple, dict or string on the right, got \(container.typeName)")
        }
    }

    private static func engineOperator(_ op: BinaryOperator, _ left: Value, _ right: Value,
                                       _ interpreter: Interpreter) throws -> Value? {
        if case .object(let object) = left, let member = interpreter.registry.member(object.typeName, op.rawValue) {
            return try member.invoke(interpreter, receiver: left, positional: [right], keywords: [])
        }
        if case .object(let object) = right, let member = interpreter.registry.member(object.typeName, "r" + op.rawValue) {
            return try member.invoke(interpreter, receiver: right, positional: [left], keywords: [])
        }
        return nil
    }

    private static func checked(_ result: (partialValue: Int, overflow: Bool), _ a: Int, _ op: String, _ b: Int) throws -> Value {
        guard !result.overflow else {
            throw BuiltinError("integer overflow in \(a) \(op) \(b); use floats (e.g. \(a).0) for larger numbers")
        }
        return .int(result.partialValue)
    }

    private static func floorDivide(_ a: Int, _ b: Int) throws -> Value {
        guard b != 0 else { throw BuiltinError("division by zero") }
        guard !(a == Int.min && b == -1) else { throw BuiltinError("integer overflow in \(a) // \(b)") }
        let q = a / b
        return .int((a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q)
    }

    private static func modulo(_ a: Int, _ b: Int) throws -> Value {
        guard b != 0 else { throw BuiltinError("modulo by zero") }
        guard b != -1 else { return .int(0) }
        let r = a % b
        return .int(r != 0 && (r < 0) != (b < 0) ? r + b : r)
    }

    private static func power(_ base: Int, _ exponent: Int) throws -> Value {
        guard exponent >= 0 else { return .float(pow(Double(base), Double(exponent))) }
        var result = 1, factor = base, remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 {
                let step = result.multipliedReportingOverflow(by: factor)
                guard !step.overflow else { throw BuiltinError("integer overflow in \(base) ** \(exponent); use a float base") }
                result = step.partialValue
            }
            remaining >>= 1
            if remaining > 0 {
                let square = factor.multipliedReportingOverflow(by: factor)
                guard !square.overflow else { throw BuiltinError("integer overflow in \(base) ** \(exponent); use a float base") }
                factor = square.partialValue
            }
        }
        return .int(result)
    }

    private static func repeatCount(_ n: Int, _ size: Int) throws -> Int {
        let count = max(0, n)
        guard size == 0 || count <= Limits.elements / max(size, 1) else { throw BuiltinError("repetition too large (\(n) copies)") }
        return count
    }
}
