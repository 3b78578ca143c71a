/// The names visible while resolving one function body (or the top level): a stack of blocks,
/// each mapping names to frame slots.
final class FunctionScope {
    let parent: FunctionScope?
    /// The top level, whose outermost names live in the interpreter's persistent `GlobalScope`.
    let isTopLevel: Bool
    var blocks: [[String: Int]] = []
    /// Function bodies declared in each open block, resolved when that block closes so they can
    /// refer to names declared after them.
    var pending: [[(FunctionCode, FunctionDecl)]] = [[]]
    var size = 0
    var loopDepth = 0

    init(parent: FunctionScope?, isTopLevel: Bool) {
        self.parent = parent
        self.isTopLevel = isTopLevel
    }
}

extension Resolver {
    func lookup(_ name: String) -> VariableSlot? {
        var scope: FunctionScope? = function
        var hops = 0
        while let current = scope {
            for block in current.blocks.reversed() {
                if let slot = block[name] {
                    return current.isTopLevel ? .global(slot) : hops == 0 ? .local(slot) : .outer(hops: hops, slot)
                }
            }
            if current.isTopLevel { return interpreter.scope.slots[name].map { .global($0) } }
            scope = current.parent
            hops += 1
        }
        return nil
    }

    func declare(_ name: String, at location: SourceLocation) -> Variable {
        if function.isTopLevel && function.blocks.isEmpty {
            return Variable(slot: .global(interpreter.scope.declare(name, at: location)), name: name)
        }
        let block = function.blocks.count - 1
        if let slot = function.blocks[block][name] {
            return Variable(slot: function.isTopLevel ? .global(slot) : .local(slot), name: name)
        }
        let slot: Int
        if function.isTopLevel {
            slot = interpreter.scope.allocate()
        } else {
            slot = function.size
            function.size += 1
        }
        function.blocks[block][name] = slot
        return Variable(slot: function.isTopLevel ? .global(slot) : .local(slot), name: name)
    }

    func openBlock() {
        function.blocks.append([:])
        function.pending.append([])
    }

    func closeBlock() {
        resolvePendingFunctions()
        function.blocks.removeLast()
        function.pending.removeLast()
    }

    /// Resolves the bodies of functions declared in the innermost open block.
    func resolvePendingFunctions() {
        guard let waiting = function.pending.last, !waiting.isEmpty else { return }
        function.pending[function.pending.count - 1] = []
        for (code, declaration) in waiting { resolveBody(code, declaration) }
    }

    /// Every name visible here, for "did you mean" and completion.
    var visibleNames: [String] {
        var names = Set(interpreter.scope.slots.keys)
        var scope: FunctionScope? = function
        while let current = scope {
            for block in current.blocks { names.formUnion(block.keys) }
            scope = current.parent
        }
        return Array(names)
    }
}
