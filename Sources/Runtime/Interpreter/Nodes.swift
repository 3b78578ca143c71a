/// An expression ready to run: the resolver turned names into slots and builtins into constants.
class Node {
    let location: SourceLocation
    init(location: SourceLocation) { self.location = location }
    func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value { .null }
}

final class ConstantNode: Node {
    let value: Value
    init(_ value: Value, location: SourceLocation) {
        self.value = value
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value { value }
}

// MARK: variables

/// Where a resolved variable lives.
enum VariableSlot {
    /// In the current function call's frame.
    case local(Int)
    /// In the frame of an enclosing function, `hops` definitions out.
    case outer(hops: Int, Int)
    /// At the top level.
    case global(Int)
}

/// A resolved variable: its slot, plus its name for messages.
struct Variable {
    let slot: VariableSlot
    let name: String

    @inline(__always)
    func load(_ frame: Frame, _ ip: Interpreter, at location: SourceLocation) throws -> Value {
        let value: Value
        switch slot {
        case .local(let index): value = frame.slots[index]
        case .global(let index): value = ip.globals.slots[index]
        case .outer(let hops, let index): value = Variable.frame(frame, hops).slots[index]
        }
        if case .undefined = value { throw ip.unassigned(name, slot, at: location) }
        return value
    }

    @inline(__always)
    func store(_ value: Value, _ frame: Frame, _ ip: Interpreter) {
        switch slot {
        case .local(let index): frame.slots[index] = value
        case .global(let index): ip.globals.slots[index] = value
        case .outer(let hops, let index): Variable.frame(frame, hops).slots[index] = value
        }
    }

    private static func frame(_ start: Frame, _ hops: Int) -> Frame {
        var frame = start
        for _ in 0..<hops { if let parent = frame.parent { frame = parent } }
        return frame
    }
}

final class VariableGetNode: Node {
    let variable: Variable
    init(_ variable: Variable, location: SourceLocation) {
        self.variable = variable
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        try variable.load(frame, ip, at: location)
    }
}

/// A `let` / `for` pattern resolved to variables.
indirect enum PatternTarget {
    case variable(Variable)
    case tuple([PatternTarget], SourceLocation)

    func assign(_ value: Value, _ frame: Frame, _ ip: Interpreter) throws {
        switch self {
        case .variable(let variable):
            variable.store(value, frame, ip)
        case .tuple(let targets, let location):
            guard let items = value.elements else {
                throw ip.fail("cannot unpack \(value.typeName) into \(targets.count) names", at: location)
            }
            guard items.count == targets.count else {
                throw ip.fail("cannot unpack \(items.count) value\(items.count == 1 ? "" : "s") into \(targets.count) names", at: location)
            }
            for (target, item) in zip(targets, items) { try target.assign(item, frame, ip) }
        }
    }
}

// MARK: operators

final class BinaryNode: Node {
    let op: BinaryOperator
    let left: Node
    let right: Node
    init(_ op: BinaryOperator, _ left: Node, _ right: Node, location: SourceLocation) {
        self.op = op
        self.left = left
        self.right = right
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let a = try left.eval(frame, ip)
        let b = try right.eval(frame, ip)
        do { return try Operators.binary(op, a, b, ip) } catch { throw ip.wrap(error, at: location) }
    }
}

final class NegateNode: Node {
    let operand: Node
    init(_ operand: Node, location: SourceLocation) {
        self.operand = operand
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let value = try operand.eval(frame, ip)
        do { return try Operators.negate(value, ip) } catch { throw ip.wrap(error, at: location) }
    }
}

/// Evaluates a condition, which must be a bool (no truthiness: `if xs` is an error, `if len(xs) > 0` is clear).
@inline(__always)
func condition(_ node: Node, _ frame: Frame, _ ip: Interpreter, _ what: String) throws -> Bool {
    let value = try node.eval(frame, ip)
    guard case .bool(let flag) = value else {
        throw ip.fail("\(what) must be true or false, got \(value.typeName) \(value.repr.prefix(40))", at: node.location)
    }
    return flag
}

final class NotNode: Node {
    let operand: Node
    init(_ operand: Node, location: SourceLocation) {
        self.operand = operand
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        .bool(!(try condition(operand, frame, ip, "the operand of 'not'")))
    }
}

/// `and` / `or`, short-circuiting.
final class LogicNode: Node {
    let isAnd: Bool
    let left: Node
    let right: Node
    init(isAnd: Bool, _ left: Node, _ right: Node, location: SourceLocation) {
        self.isAnd = isAnd
        self.left = left
        self.right = right
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let word = isAnd ? "'and'" : "'or'"
        let first = try condition(left, frame, ip, "the left side of \(word)")
        if first != isAnd { return .bool(first) }
        return .bool(try condition(right, frame, ip, "the right side of \(word)"))
    }
}

final class ConditionalNode: Node {
    let test: Node, then: Node, otherwise: Node
    init(_ test: Node, _ then: Node, _ otherwise: Node, location: SourceLocation) {
        self.test = test
        self.then = then
        self.otherwise = otherwise
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        try condition(test, frame, ip, "the condition") ? then.eval(frame, ip) : otherwise.eval(frame, ip)
    }
}

// MARK: literals

final class ListNode: Node {
    let items: [Node]
    let makesTuple: Bool
    init(_ items: [Node], tuple: Bool, location: SourceLocation) {
        self.items = items
        self.makesTuple = tuple
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items { values.append(try item.eval(frame, ip)) }
        return makesTuple ? .tuple(values) : .list(ListBox(values))
    }
}

final class DictNode: Node {
    let pairs: [(key: Node, value: Node)]
    init(_ pairs: [(key: Node, value: Node)], location: SourceLocation) {
        self.pairs = pairs
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let box = DictBox()
        for pair in pairs {
            let key = try pair.key.eval(frame, ip)
            guard let hashable = DictKey(key) else {
                throw ip.fail("dict keys must be strings, ints or bools, got \(key.typeName)", at: pair.key.location)
            }
            box[hashable] = try pair.value.eval(frame, ip)
        }
        return .dict(box)
    }
}

final class InterpolationNode: Node {
    enum Piece {
        case text(String)
        case value(Node, format: String?)
    }
    let pieces: [Piece]
    init(_ pieces: [Piece], location: SourceLocation) {
        self.pieces = pieces
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        var result = ""
        for piece in pieces {
            switch piece {
            case .text(let text): result += text
            case .value(let node, let format):
                let value = try node.eval(frame, ip)
                if let format {
                    do { result += try Value.format(value, spec: format) } catch { throw ip.wrap(error, at: node.location) }
                } else {
                    result += value.text
                }
            }
        }
        return .string(result)
    }
}

/// `fn (…) …` as a value: a closure over the current frame.
final class FunctionNode: Node {
    let code: FunctionCode
    init(_ code: FunctionCode, location: SourceLocation) {
        self.code = code
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        .function(Closure(code: code, captured: code.isTopLevel ? nil : frame))
    }
}
