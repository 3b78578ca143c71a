import Engine
import Foundation

/// Runs `.sers` programs. One interpreter holds one top level (the REPL keeps it across inputs),
/// the call stack for error chains, the run's params, output folder and random seed.
public final class Interpreter {
    public let registry: BuiltinRegistry
    /// Where `print` writes; stdout by default, a buffer in tests.
    public var write: (String) -> Void = { text in fputs(text, stdout) }
    /// Where `display` sends a value; nil to print its rich text form through `write`. The Jupyter
    /// kernel shows it as HTML, an audio player or a plot.
    public var display: ((Value) -> Void)?
    /// Deeper recursion is an error, not a stack overflow.
    public var maxCallDepth = 800
    /// `--set name=value` texts, applied by `param` declarations.
    public var parameterOverrides: [String: String] = [:]
    /// Each `param`'s value once its declaration has run.
    public internal(set) var parameterValues: [String: Value] = [:]
    /// The run folder and its metrics.
    public var output: RunOutput
    /// The script's random generator (`random()`, `shuffle`); `--seed` / `seed(n)` reset it.
    public var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))

    var globals = Frame(size: 64, parent: nil)
    let scope = GlobalScope()
    var callStack: [CallRecord] = []
    var returnValue: Value = .null
    var lastValue: Value?

    public init(registry: BuiltinRegistry = .standard, output: RunOutput = RunOutput(scriptName: "script", directory: nil)) {
        self.registry = registry
        self.output = output
    }

    // MARK: running programs

    /// Resolves every name of `program` against the top level and the registry. Throws
    /// `ScriptErrorList` with every unknown name and bad call found. With `echo`, the last
    /// expression of each cell records its value for `run` to return (the REPL shows it).
    public func compile(_ program: Program, echo: Bool = false) throws -> CompiledProgram {
        let compiled = try Resolver(interpreter: self, echo: echo).compile(program)
        if scope.count > globals.size { globals = globals.grown(to: Swift.max(scope.count, globals.size * 2)) }
        return compiled
    }

    /// Runs cell 0 (unless `preamble` is false) and then the chosen cells (all when `cells` is
    /// nil), top to bottom. Returns the value of the last echoing expression, if any.
    @discardableResult
    public func run(_ program: CompiledProgram, cells: Set<Int>? = nil, preamble: Bool = true) throws -> Value? {
        lastValue = nil
        callStack.removeAll()
        for cell in program.cells where (cell.number == 0 && preamble) || (cell.number > 0 && cells?.contains(cell.number) ?? true) {
            _ = try execute(cell.body, globals, self)
        }
        return lastValue
    }

    /// Parses, compiles and runs `text` (a REPL input or `-e` snippet); returns the value of its
    /// last expression.
    @discardableResult
    public func evaluate(_ text: String, name: String = "<repl>") throws -> Value? {
        let program = try Parser.parse(SourceFile(name: name, text: text))
        return try run(try compile(program, echo: true))
    }

    /// Names defined at the top level, sorted.
    public var globalNames: [String] {
        scope.slots.keys.filter { index(ofGlobal: $0) != nil }.sorted()
    }

    /// The current value of a top-level name, if it has one.
    public func global(_ name: String) -> Value? {
        guard let slot = index(ofGlobal: name) else { return nil }
        return globals.slots[slot]
    }

    private func index(ofGlobal name: String) -> Int? {
        guard let slot = scope.slots[name], slot < globals.size else { return nil }
        if case .undefined = globals.slots[slot] { return nil }
        return slot
    }

    // MARK: calls

    /// Calls any callable value — script function, builtin or bound method — e.g. from `map`.
    public func call(_ callee: Value, positional: [Value], keywords: [(String, Value)] = [],
                     at location: SourceLocation? = nil) throws -> Value {
        switch callee {
        case .function(let closure):
            let code = closure.code
            let frame = Frame(size: code.frameSize, parent: closure.captured)
            let site = location ?? code.location
            let bound: [Value?]
            do {
                bound = try code.shape.bind(positional: positional, keywords: keywords, callee: code.signature)
            } catch {
                throw wrap(error, at: site)
            }
            for (index, value) in bound.enumerated() { if let value { frame.slots[index] = value } }
            for (index, value) in bound.enumerated() where value == nil {
                if let node = code.defaults[index] { frame.slots[index] = try node.eval(frame, self) }
            }
            return try run(code, in: frame, given: bound.count, at: site)
        case .builtin(let builtin):
            do { return try builtin.invoke(self, positional: positional, keywords: keywords) } catch {
                throw location.map { wrap(error, at: $0) } ?? error
            }
        case .method(let bound):
            do {
                return try bound.member.invoke(self, receiver: bound.receiver, positional: positional, keywords: keywords)
            } catch {
                throw location.map { wrap(error, at: $0) } ?? error
            }
        case .object(let object):
            if let member = registry.member(object.typeName, "call") {
                do { return try member.invoke(self, receiver: callee, positional: positional, keywords: keywords) } catch {
                    throw location.map { wrap(error, at: $0) } ?? error
                }
            }
        default: break
        }
        let message = "\(callee.typeName) is not callable"
        if let location { throw fail(message, at: location) }
        throw BuiltinError(message)
    }

    /// Runs `code` in `frame`, whose first `given` slots hold arguments; fills defaults for the rest.
    func run(_ code: FunctionCode, in frame: Frame, given: Int, at site: SourceLocation) throws -> Value {
        if given < code.defaults.count {
            for index in given..<code.defaults.count {
                guard let node = code.defaults[index] else {
                    throw fail("\(code.signature) is missing argument '\(code.shape.names[index])'", at: site)
                }
                frame.slots[index] = try node.eval(frame, self)
            }
        }
        guard callStack.count < maxCallDepth else {
            throw fail("too many nested calls (more than \(maxCallDepth)); is the recursion in '\(code.name)' missing a base case?", at: site)
        }
        if Interrupt.isRequested { try interrupted(at: site) }
        callStack.append(CallRecord(name: code.name, site: site))
        defer { callStack.removeLast() }
        if case .returned = try execute(code.body, frame, self) {
            let value = returnValue
            returnValue = .null
            return value
        }
        return .null
    }

    // MARK: errors

    /// A runtime error at `location`, with the current call chain.
    func fail(_ message: String, at location: SourceLocation) -> ScriptError {
        ScriptError(.runtime, message, at: location, callChain: callStack)
    }

    /// Gives any error thrown below a script location (builtin, Engine, operator) that location.
    func wrap(_ error: Error, at location: SourceLocation) -> Error {
        switch error {
        case let scriptError as ScriptError: return scriptError
        case is InterruptedError, is Interruption.Stopped: return ScriptError(.interrupted, Interrupt.reason, at: location, callChain: callStack)
        default: return fail(String(describing: error), at: location)
        }
    }

    func interrupted(at location: SourceLocation) throws {
        let reason = Interrupt.reason
        Interrupt.clear()
        throw ScriptError(.interrupted, reason, at: location, callChain: callStack)
    }

    func unassigned(_ name: String, _ slot: VariableSlot, at location: SourceLocation) -> ScriptError {
        if case .global(let index) = slot, let declared = scope.declarations[index], declared.line != location.line {
            return fail("'\(name)' has no value yet: its declaration at \(declared) has not run", at: location)
        }
        return fail("'\(name)' is used before it is assigned", at: location)
    }
}

/// A resolved program: each cell's statements, ready to run.
public struct CompiledProgram {
    public struct CompiledCell {
        public let number: Int
        public let title: String
        let body: ContiguousArray<StatementNode>
    }
    public let cells: [CompiledCell]
}

/// Several errors found before running (unknown names, bad calls), reported together.
public struct ScriptErrorList: Error, CustomStringConvertible {
    public let errors: [ScriptError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
