/// A script function after resolution: parameters, default-value expressions (evaluated at call
/// time, in the new frame) and the body.
final class FunctionCode {
    let name: String
    let shape: ParameterShape
    /// Set with the body (defaults may refer to earlier parameters).
    var defaults: [Node?]
    /// Filled in when the enclosing block ends, so the body can see names declared after it.
    var body: ContiguousArray<StatementNode> = []
    var frameSize = 0
    /// Defined at the top level: closes over nothing (globals are reached directly).
    let isTopLevel: Bool
    let location: SourceLocation

    init(name: String, parameterNames: [String], required: [Bool], isTopLevel: Bool, location: SourceLocation) {
        self.name = name
        self.shape = ParameterShape(names: parameterNames, required: required)
        self.defaults = Array(repeating: nil, count: parameterNames.count)
        self.isTopLevel = isTopLevel
        self.location = location
    }

    var signature: String { "\(name)(\(shape.names.joined(separator: ", ")))" }
}

/// A call's arguments, as written: positional first, then labelled.
struct ArgumentNodes {
    let positional: [Node]
    let labels: [String]
    let labelled: [Node]

    func evaluate(_ frame: Frame, _ ip: Interpreter) throws -> (positional: [Value], keywords: [(String, Value)]) {
        var values: [Value] = []
        values.reserveCapacity(positional.count)
        for node in positional { values.append(try node.eval(frame, ip)) }
        var keywords: [(String, Value)] = []
        for (label, node) in zip(labels, labelled) { keywords.append((label, try node.eval(frame, ip))) }
        return (values, keywords)
    }
}

/// `callee(arguments)` where the callee is computed at run time.
final class CallNode: Node {
    let callee: Node
    let arguments: ArgumentNodes
    init(callee: Node, arguments: ArgumentNodes, location: SourceLocation) {
        self.callee = callee
        self.arguments = arguments
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let function = try callee.eval(frame, ip)
        // Script functions with positional arguments only: straight into the new frame's slots.
        if case .function(let closure) = function, arguments.labels.isEmpty,
           arguments.positional.count <= closure.code.shape.names.count {
            let code = closure.code
            let callFrame = Frame(size: code.frameSize, parent: closure.captured)
            for (index, node) in arguments.positional.enumerated() { callFrame.slots[index] = try node.eval(frame, ip) }
            return try ip.run(code, in: callFrame, given: arguments.positional.count, at: location)
        }
        let (positional, keywords) = try arguments.evaluate(frame, ip)
        return try ip.call(function, positional: positional, keywords: keywords, at: location)
    }
}

/// A call to a builtin the resolver identified (its arguments were checked against the signature).
final class BuiltinCallNode: Node {
    let builtin: Builtin
    let arguments: ArgumentNodes
    init(_ builtin: Builtin, arguments: ArgumentNodes, location: SourceLocation) {
        self.builtin = builtin
        self.arguments = arguments
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let (positional, keywords) = try arguments.evaluate(frame, ip)
        // Straight-line code stops here too (after a Ctrl-C or SIGTERM that a builtin did not consume).
        if Interrupt.isRequested { try ip.interrupted(at: location) }
        do {
            return try builtin.invoke(ip, positional: positional, keywords: keywords)
        } catch {
            throw ip.wrap(error, at: location)
        }
    }
}

/// `value.name(arguments)`: a callable dict field, or a registry method of the value's type.
final class MethodCallNode: Node {
    let receiver: Node
    let name: String
    let arguments: ArgumentNodes
    init(receiver: Node, name: String, arguments: ArgumentNodes, location: SourceLocation) {
        self.receiver = receiver
        self.name = name
        self.arguments = arguments
        super.init(location: location)
    }
    override func eval(_ frame: Frame, _ ip: Interpreter) throws -> Value {
        let object = try receiver.eval(frame, ip)
        let (positional, keywords) = try arguments.evaluate(frame, ip)
        if case .dict(let box) = object, let field = box[.string(name)] {
            return try ip.call(field, positional: positional, keywords: keywords, at: location)
        }
        guard let member = ip.registry.member(object.typeName, name) else {
            throw ip.fail(Access.noMember(object, name, ip.registry), at: location)
        }
        if member.kind == .property {
            let value = try Access.property(member, of: object, ip, at: location)
            return try ip.call(value, positional: positional, keywords: keywords, at: location)
        }
        do {
            return try member.invoke(ip, receiver: object, positional: positional, keywords: keywords)
        } catch {
            throw ip.wrap(error, at: location)
        }
    }
}
