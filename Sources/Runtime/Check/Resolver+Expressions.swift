extension Resolver {
    func expression(_ expr: Expr) -> Node {
        let at = expr.location
        switch expr.kind {
        case .int(let value): return ConstantNode(.int(value), location: at)
        case .float(let value): return ConstantNode(.float(value), location: at)
        case .string(let value): return ConstantNode(.string(value), location: at)
        case .bool(let value): return ConstantNode(.bool(value), location: at)
        case .null: return ConstantNode(.null, location: at)
        case .interpolated(let pieces):
            return InterpolationNode(pieces.map { piece in
                switch piece {
                case .text(let text): return .text(text)
                case .value(let value, let format): return .value(expression(value), format: format)
                }
            }, location: at)
        case .name(let name): return reference(name, at: at)
        case .list(let items): return ListNode(items.map(expression), tuple: false, location: at)
        case .tuple(let items): return ListNode(items.map(expression), tuple: true, location: at)
        case .dict(let pairs): return DictNode(pairs.map { (expression($0.key), expression($0.value)) }, location: at)
        case .negate(let operand):
            if case .int(let value) = operand.kind { return ConstantNode(.int(-value), location: at) }
            if case .float(let value) = operand.kind { return ConstantNode(.float(-value), location: at) }
            return NegateNode(expression(operand), location: at)
        case .not(let operand): return NotNode(expression(operand), location: at)
        case .binary(let op, let left, let right): return BinaryNode(op, expression(left), expression(right), location: at)
        case .and(let left, let right): return LogicNode(isAnd: true, expression(left), expression(right), location: at)
        case .or(let left, let right): return LogicNode(isAnd: false, expression(left), expression(right), location: at)
        case .conditional(let test, let then, let otherwise):
            return ConditionalNode(expression(test), expression(then), expression(otherwise), location: at)
        case .call(let callee, let arguments): return call(callee, arguments, at: at)
        case .index(let object, let index): return IndexNode(expression(object), expression(index), location: at)
        case .slice(let object, let start, let end):
            return SliceNode(expression(object), start: start.map(expression), end: end.map(expression), location: at)
        case .member(let object, let name):
            if let builtin = namespaced(object, name) { return ConstantNode(.builtin(builtin), location: at) }
            return MemberNode(expression(object), name, location: at)
        case .function(let declaration): return functionNode(declaration, deferred: false)
        }
    }

    private func reference(_ name: String, at: SourceLocation) -> Node {
        if let slot = lookup(name) { return VariableGetNode(Variable(slot: slot, name: name), location: at) }
        if let builtin = registry.functions[name] { return ConstantNode(.builtin(builtin), location: at) }
        if registry.namespaces.contains(name) {
            error("'\(name)' is a group of builtins; call one of them, e.g. \(name).\(registry.functions(in: name).first ?? "…")(…)", at: at)
        } else {
            let candidates = visibleNames + Array(registry.functions.keys) + Keyword.allCases.map(\.rawValue)
            error("unknown name '\(name)'" + Suggestions.didYouMean(name, among: candidates), at: at)
        }
        return ConstantNode(.null, location: at)
    }

    /// `plot.bar` when `plot` is not a variable but a group of builtins named `plot.*`.
    private func namespaced(_ object: Expr, _ name: String) -> Builtin? {
        guard case .name(let group) = object.kind, lookup(group) == nil, registry.namespaces.contains(group) else { return nil }
        if let builtin = registry.functions[group + "." + name] { return builtin }
        error("'\(group)' has no function '\(name)'" + Suggestions.didYouMean(name, among: registry.functions(in: group)),
              at: object.location)
        return nil
    }

    private func call(_ callee: Expr, _ arguments: [Argument], at: SourceLocation) -> Node {
        let nodes = ArgumentNodes(positional: arguments.filter { $0.label == nil }.map { expression($0.value) },
                                  labels: arguments.compactMap(\.label),
                                  labelled: arguments.filter { $0.label != nil }.map { expression($0.value) })
        var builtin: Builtin?
        if case .name(let name) = callee.kind, lookup(name) == nil { builtin = registry.functions[name] }
        if case .member(let object, let name) = callee.kind {
            builtin = namespaced(object, name)
            if builtin == nil, !isNamespace(object) {
                return MethodCallNode(receiver: expression(object), name: name, arguments: nodes, location: at)
            }
        }
        guard let builtin else {
            return CallNode(callee: expression(callee), arguments: nodes, location: at)
        }
        do {
            try builtin.shape.validate(positionalCount: nodes.positional.count, labels: nodes.labels, callee: builtin.signature)
        } catch {
            self.error(String(describing: error), at: at)
        }
        return BuiltinCallNode(builtin, arguments: nodes, location: at)
    }

    private func isNamespace(_ object: Expr) -> Bool {
        guard case .name(let group) = object.kind else { return false }
        return lookup(group) == nil && registry.namespaces.contains(group)
    }
}
