import Engine

/// Parameter-free layers the language offers that the Engine has only as tensor functions:
/// activations, softmax over a dimension, and the last step of a sequence.
final class ActivationLayer: Module {
    enum Kind: String { case leakyRelu = "LeakyReLU", gelu = "GELU", tanh = "Tanh", sigmoid = "Sigmoid" }
    let kind: Kind
    let slope: Float

    init(_ kind: Kind, slope: Float = 0.01) {
        self.kind = kind
        self.slope = slope
        super.init()
    }

    override var typeDescription: String { kind == .leakyRelu ? "LeakyReLU(\(slope))" : "\(kind.rawValue)()" }

    override func forward(_ input: Tensor) throws -> Tensor {
        switch kind {
        case .leakyRelu: return input.leakyRelu(slope: slope)
        case .gelu: return input.gelu()
        case .tanh: return input.tanh()
        case .sigmoid: return input.sigmoid()
        }
    }
}

/// Softmax over `dim` as a layer.
final class SoftmaxLayer: Module {
    let dim: Int
    init(dim: Int) {
        self.dim = dim
        super.init()
    }
    override var typeDescription: String { "Softmax(dim: \(dim))" }
    override func forward(_ input: Tensor) throws -> Tensor {
        do { return try input.softmax(dim: dim) } catch { throw LayerError(layer: self, reason: "\(error)") }
    }
}

/// The last time step of a batch-first sequence `(B, T, F)` → `(B, F)`: an LSTM's final output.
final class LastStep: Module {
    override var typeDescription: String { "LastStep()" }
    override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, input.shape[1] > 0 else {
            throw LayerError(layer: self, reason: "expected a sequence of shape (B, T, F), got \(input.shape)")
        }
        return try input.select(dim: 1, index: input.shape[1] - 1)
    }
}
