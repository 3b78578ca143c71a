/// A value built by the restricted unpickler: plain data, references to whitelisted globals, and
/// whatever the caller's hooks made of persistent ids and calls (storages, tensors).
public indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A `module.name` the caller's whitelist accepted (a callable or a type, never called by the machine).
    case global(module: String, name: String)
    /// Something a hook made (a storage, a tensor): the machine only moves it around.
    case opaque(AnyObject)

    /// A short name of the value's kind for error messages.
    public var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let module, let name): return "\(module).\(name)"
        case .opaque(let object): return String(describing: type(of: object))
        }
    }
}

/// A pickled list: a reference, because the memo shares it and later opcodes append to it.
public final class PickleList {
    public var items: [PickleValue] = []
    init() {}
}

/// A pickled dict (or OrderedDict) in insertion order: a reference, like `PickleList`.
public final class PickleDict {
    public private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    init() {}

    /// Sets `key` (replacing an equal str or int key, as a dict would).
    func set(_ key: PickleValue, _ value: PickleValue) {
        if let index = entries.firstIndex(where: { Self.sameKey($0.key, key) }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }

    /// The value under the string key `name`.
    public subscript(name: String) -> PickleValue? {
        entries.first { Self.sameKey($0.key, .string(name)) }?.value
    }

    private static func sameKey(_ a: PickleValue, _ b: PickleValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        default: return false
        }
    }
}
