/// A runtime value. Small on purpose (scalars inline, everything else one reference) so the
/// interpreter's hot loop copies little.
///
/// Numbers are `int` (64-bit; overflow is an error) or `float` (Double); mixing them gives a float,
/// and `/` always gives a float. Lists and dicts are shared by reference, as in Python; tuples and
/// strings are values.
public enum Value {
    /// A variable declared but not yet assigned; never visible to scripts.
    case undefined
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list(ListBox)
    case dict(DictBox)
    case tuple([Value])
    case function(Closure)
    case builtin(Builtin)
    case method(BoundMethod)
    /// An Engine object (tensor, dataset, model, …) wrapped by reference.
    case object(any ScriptObject)

    /// The name `type(x)` returns and under which methods are registered.
    public var typeName: String {
        switch self {
        case .undefined, .null: return "nil"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .list: return "list"
        case .dict: return "dict"
        case .tuple: return "tuple"
        case .function, .builtin, .method: return "function"
        case .object(let object): return object.typeName
        }
    }

    /// The number as a Double, for ints and floats.
    public var asDouble: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    /// Values of a list or tuple.
    public var elements: [Value]? {
        switch self {
        case .list(let box): return box.items
        case .tuple(let items): return items
        default: return nil
        }
    }
}

/// An Engine object seen from a script: a type name (its methods are registry entries under that
/// name), a one-line summary for lists and `str()`, and a rich multi-line description for `print`
/// and the REPL (a tensor's shape and statistics, a model's layer table, …).
public protocol ScriptObject: AnyObject {
    /// Registry key for this object's methods and what `type(x)` prints, e.g. `"Tensor"`.
    var typeName: String { get }
    /// One line, e.g. `Tensor[32, 1, 128, 563]`.
    var summary: String { get }
    /// What `print(x)` and the REPL show; defaults to `summary`.
    var details: String { get }
}

extension ScriptObject {
    public var details: String { summary }
}

/// A list's storage, shared by every value that refers to it.
public final class ListBox {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
}

/// A hashable dict key: strings, ints and bools.
public enum DictKey: Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)

    public init?(_ value: Value) {
        switch value {
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(number)
        case .bool(let flag): self = .bool(flag)
        case .float(let number) where number.rounded() == number && abs(number) < 1e18: self = .int(Int(number))
        default: return nil
        }
    }

    public var value: Value {
        switch self {
        case .string(let text): return .string(text)
        case .int(let number): return .int(number)
        case .bool(let flag): return .bool(flag)
        }
    }
}

/// An insertion-ordered dictionary (records `{lr: 0.1}` are dicts with string keys).
public final class DictBox {
    public private(set) var keys: [DictKey] = []
    private var storage: [DictKey: Value] = [:]

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[.string(key)] = value }
    }

    public var count: Int { keys.count }

    public subscript(key: DictKey) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Pairs in insertion order.
    public var pairs: [(key: DictKey, value: Value)] {
        keys.compactMap { key in storage[key].map { (key, $0) } }
    }
}

/// A script function together with the frame it closes over.
public final class Closure {
    let code: FunctionCode
    let captured: Frame?

    init(code: FunctionCode, captured: Frame?) {
        self.code = code
        self.captured = captured
    }

    public var name: String { code.name }
}

/// `receiver.method` taken as a value, to be called later.
public final class BoundMethod {
    public let receiver: Value
    public let member: Builtin

    public init(receiver: Value, member: Builtin) {
        self.receiver = receiver
        self.member = member
    }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
                 ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
