/// Turns a parsed program into runnable nodes: every name becomes a slot or a builtin, every call
/// to a known builtin is checked against its signature, and all problems are collected (this is
/// what `serscript check` runs).
final class Resolver {
    let interpreter: Interpreter
    let registry: BuiltinRegistry
    let echo: Bool
    var function: FunctionScope
    var errors: [ScriptError] = []

    init(interpreter: Interpreter, echo: Bool) {
        self.interpreter = interpreter
        self.registry = interpreter.registry
        self.echo = echo
        self.function = FunctionScope(parent: nil, isTopLevel: true)
    }

    func compile(_ program: Program) throws -> CompiledProgram {
        var cells: [CompiledProgram.CompiledCell] = []
        for cell in program.cells {
            cells.append(.init(number: cell.number, title: cell.title, body: statements(cell.statements, echoLast: echo)))
        }
        resolvePendingFunctions()
        if !errors.isEmpty {
            // Source order (function bodies are resolved late, arguments before their callee).
            let ordered = errors.enumerated().sorted { a, b in
                let (x, y) = (a.element.location, b.element.location)
                return ((x?.line ?? 0), (x?.column ?? 0), a.offset) < ((y?.line ?? 0), (y?.column ?? 0), b.offset)
            }.map(\.element)
            throw ScriptErrorList(errors: ordered)
        }
        return CompiledProgram(cells: cells)
    }

    func error(_ message: String, at location: SourceLocation) {
        errors.append(ScriptError(.name, message, at: location))
    }

    // MARK: statements

    func statements(_ list: [Stmt], echoLast: Bool = false) -> ContiguousArray<StatementNode> {
        var result = ContiguousArray<StatementNode>()
        for (offset, statement) in list.enumerated() {
            result.append(self.statement(statement, echo: echoLast && offset == list.count - 1))
        }
        return result
    }

    func block(_ list: [Stmt]) -> ContiguousArray<StatementNode> {
        openBlock()
        defer { closeBlock() }
        return statements(list)
    }

    func statement(_ statement: Stmt, echo: Bool = false) -> StatementNode {
        let at = statement.location
        switch statement.kind {
        case .expression(let value):
            return ExpressionStatement(expression(value), echoes: echo)
        case .let(let pattern, let value):
            let node = expression(value)
            return BindStatement(declare(pattern), node, location: at)
        case .param(let name, let value):
            let node = expression(value)
            return ParamStatement(name: name, target: declare(name, at: at), defaultValue: node, location: at)
        case .function(let declaration):
            let variable = declare(declaration.name ?? "<lambda>", at: at)
            return BindStatement(.variable(variable), functionNode(declaration, deferred: true), location: at)
        case .assign(let target, let op, let value):
            return assignment(target, op, value, at: at)
        case .if(let branches, let otherwise):
            return IfStatement(conditions: branches.map { expression($0.condition) }, bodies: branches.map { block($0.body) },
                               otherwise: otherwise.map(block), location: at)
        case .while(let test, let body):
            let condition = expression(test)
            function.loopDepth += 1
            defer { function.loopDepth -= 1 }
            return WhileStatement(condition, block(body), location: at)
        case .for(let pattern, let sequence, let body):
            let values = expression(sequence)
            openBlock()
            defer { closeBlock() }
            let target = declare(pattern)
            function.loopDepth += 1
            defer { function.loopDepth -= 1 }
            return ForStatement(target, values, statements(body), location: at)
        case .break, .continue:
            let isBreak: Bool
            if case .break = statement.kind { isBreak = true } else { isBreak = false }
            if function.loopDepth == 0 { error("'\(isBreak ? "break" : "continue")' outside a loop", at: at) }
            return JumpStatement(isBreak ? .breakLoop : .continueLoop, location: at)
        case .return(let value):
            if function.isTopLevel { error("'return' outside a function", at: at) }
            return ReturnStatement(value.map(expression), location: at)
        }
    }

    private func declare(_ pattern: Pattern) -> PatternTarget {
        switch pattern {
        case .name(let name, let location): return .variable(declare(name, at: location))
        case .tuple(let items, let location): return .tuple(items.map(declare), location)
        }
    }

    private func assignment(_ target: Expr, _ op: BinaryOperator?, _ value: Expr, at: SourceLocation) -> StatementNode {
        var node = expression(value)
        switch target.kind {
        case .name(let name):
            guard let slot = lookup(name) else {
                let hint = registry.functions[name] != nil ? "; '\(name)' is a builtin — declare your own with 'let \(name) = …'"
                    : Suggestions.closest(name, among: visibleNames).map { "; did you mean '\($0)'? (new names need 'let \(name) = …')" }
                    ?? "; declare it with 'let \(name) = …'"
                error("unknown name '\(name)'\(hint)", at: target.location)
                return ExpressionStatement(node, echoes: false)
            }
            let variable = Variable(slot: slot, name: name)
            if let op { node = BinaryNode(op, VariableGetNode(variable, location: target.location), node, location: at) }
            return BindStatement(.variable(variable), node, location: at)
        case .index(let container, let index):
            return IndexSetStatement(expression(container), expression(index), node, op: op, location: at)
        case .member(let container, let name):
            return FieldSetStatement(expression(container), name, node, op: op, location: at)
        case .tuple(let items) where op == nil:
            var targets: [PatternTarget] = []
            for item in items {
                guard case .name(let name) = item.kind, let slot = lookup(name) else {
                    error("each name in '(a, b) = …' must be an existing variable", at: item.location)
                    continue
                }
                targets.append(.variable(Variable(slot: slot, name: name)))
            }
            return BindStatement(.tuple(targets, target.location), node, location: at)
        default:
            error("cannot assign to this expression", at: target.location)
            return ExpressionStatement(node, echoes: false)
        }
    }

    // MARK: functions

    func functionNode(_ declaration: FunctionDecl, deferred: Bool) -> FunctionNode {
        let code = FunctionCode(name: declaration.name ?? "<lambda>", parameterNames: declaration.parameters.map(\.name),
                                required: declaration.parameters.map { $0.defaultValue == nil },
                                isTopLevel: function.isTopLevel, location: declaration.location)
        if deferred {
            function.pending[function.pending.count - 1].append((code, declaration))
        } else {
            resolveBody(code, declaration)
        }
        return FunctionNode(code, location: declaration.location)
    }

    func resolveBody(_ code: FunctionCode, _ declaration: FunctionDecl) {
        let outer = function
        function = FunctionScope(parent: outer, isTopLevel: false)
        defer { function = outer }
        openBlock()
        for parameter in declaration.parameters { _ = declare(parameter.name, at: parameter.location) }
        code.defaults = declaration.parameters.map { $0.defaultValue.map(expression) }
        code.body = statements(declaration.body)
        closeBlock()
        resolvePendingFunctions()
        code.frameSize = function.size
    }
}
