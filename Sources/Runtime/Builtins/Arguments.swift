/// The arguments a builtin receives, one per declared parameter (defaults filled in), with typed
/// accessors whose errors name the builtin and the parameter.
public struct Arguments {
    /// The running interpreter: output, the run folder, the seed, and calling script functions back.
    public let interpreter: Interpreter
    public let builtin: Builtin
    /// `self` for methods and properties; `.null` for free functions.
    public let receiver: Value
    public let values: [Value]

    public subscript(index: Int) -> Value { index < values.count ? values[index] : .null }

    private func wrong(_ index: Int, _ expected: String) -> BuiltinError {
        let name = index < builtin.parameters.count ? builtin.parameters[index].name : "#\(index)"
        return BuiltinError("\(builtin.qualifiedName): '\(name)' must be \(expected), got \(self[index].typeName) \(self[index].repr.prefix(40))")
    }

    /// True when the argument was left at a nil default or passed as nil.
    public func isNil(_ index: Int) -> Bool {
        if case .null = self[index] { return true }
        return false
    }

    public func int(_ index: Int) throws -> Int {
        switch self[index] {
        case .int(let value): return value
        case .float(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
        default: throw wrong(index, "an int")
        }
    }

    public func double(_ index: Int) throws -> Double {
        guard let value = self[index].asDouble else { throw wrong(index, "a number") }
        return value
    }

    public func string(_ index: Int) throws -> String {
        guard case .string(let value) = self[index] else { throw wrong(index, "a string") }
        return value
    }

    public func bool(_ index: Int) throws -> Bool {
        guard case .bool(let value) = self[index] else { throw wrong(index, "true or false") }
        return value
    }

    /// Elements of a list or tuple.
    public func list(_ index: Int) throws -> [Value] {
        guard let items = self[index].elements else { throw wrong(index, "a list") }
        return items
    }

    public func dict(_ index: Int) throws -> DictBox {
        guard case .dict(let box) = self[index] else { throw wrong(index, "a dict") }
        return box
    }

    /// The Engine object of type `T` at `index`.
    public func object<T>(_ index: Int, as type: T.Type, named: String) throws -> T {
        guard case .object(let object) = self[index], let typed = object as? T else { throw wrong(index, "a \(named)") }
        return typed
    }

    /// Any iterable argument (list, tuple, string, dict keys, range) as values.
    public func sequence(_ index: Int) throws -> [Value] {
        guard let items = try Iteration.values(of: self[index]) else { throw wrong(index, "a list, tuple, string, dict or range") }
        return items
    }

    /// The receiver as `T` (for methods registered on an Engine type).
    public func receiver<T>(as type: T.Type) throws -> T {
        guard case .object(let object) = receiver, let typed = object as? T else {
            throw BuiltinError("\(builtin.qualifiedName) called on \(receiver.typeName)")
        }
        return typed
    }
}
