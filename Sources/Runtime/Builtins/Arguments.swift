/// The arguments a builtin receives, one per declared parameter (defaults filled in), read by
/// parameter name only: typed accessors whose errors name the builtin and the parameter. Positions
/// stay private to this file, so reordering a signature can never shift what a builtin reads.
public struct Arguments {
    /// The running interpreter: output, the run folder, the seed, and calling script functions back.
    public let interpreter: Interpreter
    public let builtin: Builtin
    /// `self` for methods and properties; `.null` for free functions.
    public let receiver: Value
    private let values: [Value]

    init(interpreter: Interpreter, builtin: Builtin, receiver: Value, values: [Value]) {
        self.interpreter = interpreter
        self.builtin = builtin
        self.receiver = receiver
        self.values = values
    }

    /// Position of parameter `name`, or nil for a name the builtin does not declare.
    private func position(_ name: String) -> Int? {
        builtin.parameters.firstIndex(where: { $0.name == name })
    }

    /// The argument for parameter `name`; `.null` for a name the builtin does not declare (the typed
    /// accessors report that as an error, and `BuiltinArgumentTests` checks every name read exists).
    public subscript(name: String) -> Value {
        guard let index = position(name), index < values.count else { return .null }
        return values[index]
    }

    /// The argument for `name`, or an error when the builtin declares no such parameter (a registration bug).
    private func declared(_ name: String) throws -> Value {
        guard position(name) != nil else { throw BuiltinError("\(builtin.qualifiedName): internal: no parameter '\(name)'") }
        return self[name]
    }

    private func wrong(_ name: String, _ expected: String) -> BuiltinError {
        BuiltinError("\(builtin.qualifiedName): '\(name)' must be \(expected), got \(self[name].typeName) \(self[name].repr.prefix(40))")
    }

    /// True when the argument was left at a nil default or passed as nil.
    public func isNil(_ name: String) -> Bool {
        if case .null = self[name] { return true }
        return false
    }

    public func int(_ name: String) throws -> Int {
        switch try declared(name) {
        case .int(let value): return value
        case .float(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
        default: throw wrong(name, "an int")
        }
    }

    public func double(_ name: String) throws -> Double {
        guard let value = try declared(name).asDouble else { throw wrong(name, "a number") }
        return value
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let value) = try declared(name) else { throw wrong(name, "a string") }
        return value
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let value) = try declared(name) else { throw wrong(name, "true or false") }
        return value
    }

    /// Elements of a list or tuple.
    public func list(_ name: String) throws -> [Value] {
        guard let items = try declared(name).elements else { throw wrong(name, "a list") }
        return items
    }

    public func dict(_ name: String) throws -> DictBox {
        guard case .dict(let box) = try declared(name) else { throw wrong(name, "a dict") }
        return box
    }

    /// The Engine object of type `T` for parameter `name`.
    public func object<T>(_ name: String, as type: T.Type, named: String) throws -> T {
        guard case .object(let object) = try declared(name), let typed = object as? T else { throw wrong(name, "a \(named)") }
        return typed
    }

    /// Any iterable argument (list, tuple, string, dict keys, range) as values.
    public func sequence(_ name: String) throws -> [Value] {
        guard let items = try Iteration.values(of: try declared(name)) else { throw wrong(name, "a list, tuple, string, dict or range") }
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
