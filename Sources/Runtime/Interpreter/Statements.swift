/// How a statement finished; loops and calls consume the non-normal cases (no Swift throws for control flow).
enum Flow {
    case normal, breakLoop, continueLoop, returned
}

class StatementNode {
    let location: SourceLocation
    init(location: SourceLocation) { self.location = location }
    func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow { .normal }
}

@inline(__always)
func execute(_ body: ContiguousArray<StatementNode>, _ frame: Frame, _ ip: Interpreter) throws -> Flow {
    for statement in body {
        let flow = try statement.exec(frame, ip)
        if case .normal = flow { continue }
        return flow
    }
    return .normal
}

final class ExpressionStatement: StatementNode {
    let expression: Node
    /// In the REPL, the last expression of an input or cell shows its value.
    let echoes: Bool
    init(_ expression: Node, echoes: Bool) {
        self.expression = expression
        self.echoes = echoes
        super.init(location: expression.location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        let value = try expression.eval(frame, ip)
        if echoes { ip.lastValue = value }
        return .normal
    }
}

/// `let pattern = value`, `name = value`, `for`'s binding and `fn name`'s binding.
final class BindStatement: StatementNode {
    let target: PatternTarget
    let value: Node
    init(_ target: PatternTarget, _ value: Node, location: SourceLocation) {
        self.target = target
        self.value = value
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        try target.assign(try value.eval(frame, ip), frame, ip)
        return .normal
    }
}

/// `container[index] = value` and `container[index] op= value` (container and index evaluated once).
final class IndexSetStatement: StatementNode {
    let container: Node, index: Node, value: Node
    let op: BinaryOperator?
    init(_ container: Node, _ index: Node, _ value: Node, op: BinaryOperator?, location: SourceLocation) {
        self.container = container
        self.index = index
        self.value = value
        self.op = op
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        let target = try container.eval(frame, ip)
        let key = try index.eval(frame, ip)
        var newValue = try value.eval(frame, ip)
        do {
            if let op { newValue = try Operators.binary(op, try Access.element(target, key, ip), newValue, ip) }
            switch target {
            case .list(let box): box.items[try Access.position(key, count: box.items.count, target)] = newValue
            case .dict(let box):
                guard let hashable = DictKey(key) else { throw BuiltinError("dict keys must be strings, ints or bools, got \(key.typeName)") }
                box[hashable] = newValue
            default: throw BuiltinError("cannot assign into \(target.typeName) (only lists and dicts change in place)")
            }
        } catch {
            throw ip.wrap(error, at: location)
        }
        return .normal
    }
}

/// `record.field = value` on dicts.
final class FieldSetStatement: StatementNode {
    let container: Node, name: String, value: Node
    let op: BinaryOperator?
    init(_ container: Node, _ name: String, _ value: Node, op: BinaryOperator?, location: SourceLocation) {
        self.container = container
        self.name = name
        self.value = value
        self.op = op
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        let target = try container.eval(frame, ip)
        guard case .dict(let box) = target else {
            throw ip.fail("cannot set field '\(name)' on \(target.typeName) (only dicts have settable fields)", at: location)
        }
        var newValue = try value.eval(frame, ip)
        if let op {
            guard let old = box[.string(name)] else { throw ip.fail("dict has no key \"\(name)\"", at: location) }
            do { newValue = try Operators.binary(op, old, newValue, ip) } catch { throw ip.wrap(error, at: location) }
        }
        box[.string(name)] = newValue
        return .normal
    }
}

/// `param name = default`: the default unless the command line set `name`.
final class ParamStatement: StatementNode {
    let name: String
    let target: Variable
    let defaultValue: Node
    init(name: String, target: Variable, defaultValue: Node, location: SourceLocation) {
        self.name = name
        self.target = target
        self.defaultValue = defaultValue
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        let fallback = try defaultValue.eval(frame, ip)
        var value = fallback
        if let text = ip.parameterOverrides[name] {
            do { value = try ParameterOverride.convert(text, like: fallback) } catch {
                throw ip.fail("--set \(name)=\(text): \(error)", at: location)
            }
        }
        target.store(value, frame, ip)
        ip.parameterValues[name] = value
        return .normal
    }
}

final class IfStatement: StatementNode {
    let conditions: [Node]
    let bodies: [ContiguousArray<StatementNode>]
    let otherwise: ContiguousArray<StatementNode>?
    init(conditions: [Node], bodies: [ContiguousArray<StatementNode>], otherwise: ContiguousArray<StatementNode>?,
         location: SourceLocation) {
        self.conditions = conditions
        self.bodies = bodies
        self.otherwise = otherwise
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        for (index, test) in conditions.enumerated() where try condition(test, frame, ip, "the 'if' condition") {
            return try execute(bodies[index], frame, ip)
        }
        if let otherwise { return try execute(otherwise, frame, ip) }
        return .normal
    }
}

final class WhileStatement: StatementNode {
    let test: Node
    let body: ContiguousArray<StatementNode>
    init(_ test: Node, _ body: ContiguousArray<StatementNode>, location: SourceLocation) {
        self.test = test
        self.body = body
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        while try condition(test, frame, ip, "the 'while' condition") {
            if Interrupt.isRequested { try ip.interrupted(at: location) }
            switch try execute(body, frame, ip) {
            case .normal, .continueLoop: continue
            case .breakLoop: return .normal
            case .returned: return .returned
            }
        }
        return .normal
    }
}

final class ForStatement: StatementNode {
    let target: PatternTarget
    let sequence: Node
    let body: ContiguousArray<StatementNode>
    init(_ target: PatternTarget, _ sequence: Node, _ body: ContiguousArray<StatementNode>, location: SourceLocation) {
        self.target = target
        self.sequence = sequence
        self.body = body
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        let values = try sequence.eval(frame, ip)
        if case .object(let object) = values, let range = object as? RangeObject {
            // Counting loops without building a list.
            var i = range.start
            while range.step > 0 ? i < range.stop : i > range.stop {
                if Interrupt.isRequested { try ip.interrupted(at: location) }
                try target.assign(.int(i), frame, ip)
                switch try execute(body, frame, ip) {
                case .normal, .continueLoop: break
                case .breakLoop: return .normal
                case .returned: return .returned
                }
                let next = i.addingReportingOverflow(range.step)
                if next.overflow { break }   // past Int's end means past `stop` too
                i = next.partialValue
            }
            return .normal
        }
        guard let items = try Iteration.values(of: values) else {
            throw ip.fail("cannot loop over \(values.typeName); 'for' needs a list, tuple, string, dict or range", at: sequence.location)
        }
        for item in items {
            if Interrupt.isRequested { try ip.interrupted(at: location) }
            try target.assign(item, frame, ip)
            switch try execute(body, frame, ip) {
            case .normal, .continueLoop: continue
            case .breakLoop: return .normal
            case .returned: return .returned
            }
        }
        return .normal
    }
}

final class JumpStatement: StatementNode {
    let flow: Flow
    init(_ flow: Flow, location: SourceLocation) {
        self.flow = flow
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow { flow }
}

final class ReturnStatement: StatementNode {
    let value: Node?
    init(_ value: Node?, location: SourceLocation) {
        self.value = value
        super.init(location: location)
    }
    override func exec(_ frame: Frame, _ ip: Interpreter) throws -> Flow {
        ip.returnValue = try value?.eval(frame, ip) ?? .null
        return .returned
    }
}
