import EngineFormats
import EngineTensor

/// Runs its children in order, feeding each one's output to the next; children are keyed `0`, `1`, ….
public final class Sequential: Module {
    public init(_ layers: [Module]) {
        super.init()
        for (index, layer) in layers.enumerated() { registerModule("\(index)", layer) }
    }

    public override var typeDescription: String { "Sequential(\(namedChildren.count) layers)" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try namedChildren.reduce(input) { x, child in try child.module(x) }
    }
}

/// An indexed list of modules (keys `0`, `1`, …) that the owner runs itself (PyTorch's `ModuleList`).
public final class ModuleList: Module {
    public init(_ modules: [Module]) {
        super.init()
        for (index, module) in modules.enumerated() { registerModule("\(index)", module) }
    }

    /// The modules in order.
    public var modules: [Module] { namedChildren.map(\.module) }

    public override var typeDescription: String { "ModuleList(\(namedChildren.count))" }
}

/// Branches fed the same input, their outputs joined by concatenation along `dim`.
public final class Parallel: Module {
    public let dim: Int

    public init(_ branches: [Module], dim: Int = 1) {
        self.dim = dim
        super.init()
        for (index, branch) in branches.enumerated() { registerModule("\(index)", branch) }
    }

    public override var typeDescription: String { "Parallel(\(namedChildren.count) branches, dim: \(dim))" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let outputs = try namedChildren.map { try $0.module(input) }
        return try attributed { try Tensor.concat(outputs, dim: dim) }
    }
}

/// Members fed the same input whose class probabilities are averaged: the output is the log of the
/// mean softmax over the last dimension, so cross-entropy and argmax treat it as logits. Members
/// are keyed `0`, `1`, …; an ensemble of one is its member's log-softmax.
public final class Ensemble: Module {
    public init(_ members: [Module]) {
        super.init()
        for (index, member) in members.enumerated() { registerModule("\(index)", member) }
    }

    public override var typeDescription: String { "Ensemble(\(namedChildren.count) members)" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard !namedChildren.isEmpty else { throw LayerError(layer: self, reason: "an ensemble needs at least one member") }
        var sum: Tensor?
        for child in namedChildren {
            let probabilities = try attributed { try child.module(input).softmax(dim: -1) }
            sum = try sum.map { total in try attributed { try total + probabilities } } ?? probabilities
        }
        return (sum! * (1 / Float(namedChildren.count))).log()
    }
}

/// A residual connection: `x + module(x)`, the skip path of ResNet and TCN blocks. `module` must keep
/// the input's shape. Its child is keyed `module`.
public final class Residual: Module {
    public let module: Module

    public init(_ module: Module) {
        self.module = module
        super.init()
        registerModule("module", module)
    }

    public override var typeDescription: String { "Residual" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let output = try module(input)
        guard output.shape == input.shape else {
            throw LayerError(layer: self, reason: "the inner module maps \(input.shape) to \(output.shape); a residual needs the same shape")
        }
        return try attributed { try input + output }
    }
}

/// Applies `module` to every step of a batch-first `(B, T, …)` input by folding time into the batch:
/// `(B·T, …)` through the module, then back to `(B, T, …)`. Its child is keyed `module`.
public final class TimeDistributed: Module {
    public let module: Module

    public init(_ module: Module) {
        self.module = module
        super.init()
        registerModule("module", module)
    }

    public override var typeDescription: String { "TimeDistributed" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try requireRank(input, Set(3...8), expected: "(B, T, …)")
        let (batch, steps) = (input.shape[0], input.shape[1])
        let folded = try attributed { try input.reshape([batch * steps] + input.shape.dropFirst(2)) }
        let output = try module(folded)
        return try attributed { try output.reshape([batch, steps] + output.shape.dropFirst()) }
    }
}
