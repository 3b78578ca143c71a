/// `value.name`: a dict field, a property, or a method taken as a value.
final class MemberNode: Node {
    let object: Node
    let name: String
    init(_ object: Node, _ name: String, location: SourceLocation) {
        self.object = object
        self.name = name
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let value = try object.eval(frame, ip)
        if case .dict(let box) = value, let field = box[.string(name)] { return field }
        guard let member = ip.registry.member(value.typeName, name) else {
            if case .dict = value { throw ip.fail("dict has no key \"\(name)\"", at: location) }
            throw ip.fail(Access.noMember(value, name, ip.registry), at: location)
        }
        if member.kind == .property { return try Access.property(member, of: value, ip, at: location) }
        return .method(BoundMethod(receiver: value, member: member))
    }
}

/// `value[index]`
final class IndexNode: Node {
    let object: Node
    let index: Node
    init(_ object: Node, _ index: Node, location: SourceLocation) {
        self.object = object
        self.index = index
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let container = try object.eval(frame, ip)
        let key = try index.eval(frame, ip)
        do { return try Access.element(container, key, ip) } catch { throw ip.wrap(error, at: location) }
    }
}

/// `value[start:end]` on lists, tuples and strings; negative bounds count from the end.
final class SliceNode: Node {
    let object: Node
    let start: Node?
    let end: Node?
    init(_ object: Node, start: Node?, end: Node?, location: SourceLocation) {
        self.object = object
        self.start = start
        self.end = end
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let container = try object.eval(frame, ip)
        let lower = try start?.eval(frame, ip) ?? .null
        let upper = try end?.eval(frame, ip) ?? .null
        do {
            switch container {
            case .list(let box):
                let range = try Access.sliceRange(lower, upper, count: box.items.count)
                return .list(ListBox(Array(box.items[range])))
            case .tuple(let items):
                return .tuple(Array(items[try Access.sliceRange(lower, upper, count: items.count)]))
            case .string(let text):
                let characters = Array(text)
                return .string(String(characters[try Access.sliceRange(lower, upper, count: characters.count)]))
            default:
                throw BuiltinError("cannot slice \(container.typeName)")
            }
        } catch {
            throw ip.wrap(error, at: location)
        }
    }
}

/// Element, member and slice rules shared by reads and assignments.
enum Access {
    static func element(_ container: Value, _ key: Value, _ ip: Interpreter) throws -> Value {
        switch container {
        case .list(let box): return box.items[try position(key, count: box.items.count, container)]
        case .tuple(let items): return items[try position(key, count: items.count, container)]
        case .string(let text):
            let characters = Array(text)
            return .string(String(characters[try position(key, count: characters.count, container)]))
        case .dict(let box):
            guard let hashable = DictKey(key) else { throw BuiltinError("dict keys must be strings, ints or bools, got \(key.typeName)") }
            guard let value = box[hashable] else { throw BuiltinError("dict has no key \(key.repr)") }
            return value
        case .object(let object):
            if let range = object as? RangeObject {
                return .int(range.element(try position(key, count: range.count, container)))
            }
            if let member = ip.registry.member(object.typeName, "[]") {
                return try member.invoke(ip, receiver: container, positional: [key], keywords: [])
            }
        default: break
        }
        throw BuiltinError("cannot index \(container.typeName)")
    }

    /// A checked array position; negative indexes count from the end.
    static func position(_ key: Value, count: Int, _ container: Value) throws -> Int {
        guard case .int(let raw) = key else { throw BuiltinError("\(container.typeName) index must be an int, got \(key.typeName)") }
        let index = raw < 0 ? raw + count : raw
        guard index >= 0, index < count else {
            throw BuiltinError("index \(raw) out of range for \(container.typeName) of length \(count)")
        }
        return index
    }

    static func sliceRange(_ lower: Value, _ upper: Value, count: Int) throws -> Range<Int> {
        func bound(_ value: Value, _ fallback: Int) throws -> Int {
            switch value {
            case .null: return fallback
            case .int(let raw): return Swift.min(Swift.max(raw < 0 ? raw + count : raw, 0), count)
            default: throw BuiltinError("slice bounds must be ints, got \(value.typeName)")
            }
        }
        let start = try bound(lower, 0)
        return start..<Swift.max(start, try bound(upper, count))
    }

    static func property(_ member: Builtin, of value: Value, _ ip: Interpreter, at location: SourceLocation) throws -> Value {
        do { return try member.invoke(ip, receiver: value, positional: [], keywords: []) } catch { throw ip.wrap(error, at: location) }
    }

    static func noMember(_ value: Value, _ name: String, _ registry: BuiltinRegistry) -> String {
        let names = registry.members[value.typeName].map { Array($0.keys) } ?? []
        return "\(value.typeName) has no method or property '\(name)'" + Suggestions.didYouMean(name, among: names)
    }
}
