import EngineTensor

/// Parameter-free layers for tensor functions: activations, softmax over a dimension, and the last
/// step of a sequence (the language's `gelu()`, `softmax(dim:)`, `last_step()`, …).

/// An elementwise activation as a layer; `slope` is LeakyReLU's negative slope.
public final class ActivationLayer: Module {
    /// The activation, by its PyTorch class name.
    public enum Kind: String, Sendable, CaseIterable { case leakyRelu = "LeakyReLU", gelu = "GELU", tanh = "Tanh", sigmoid = "Sigmoid" }
    public let kind: Kind
    public let slope: Float

    public init(_ kind: Kind, slope: Float = 0.01) {
        self.kind = kind
        self.slope = slope
        super.init()
    }

    public override var typeDescription: String { kind == .leakyRelu ? "LeakyReLU(\(slope))" : "\(kind.rawValue)()" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        switch kind {
        case .leakyRelu: return input.leakyRelu(slope: slope)
        case .gelu: return input.gelu()
        case .tanh: return input.tanh()
        case .sigmoid: return input.sigmoid()
        }
    }
}

/// Softmax over `dim` as a layer.
public final class SoftmaxLayer: Module {
    public let dim: Int
    public init(dim: Int) {
        self.dim = dim
        super.init()
    }
    public override var typeDescription: String { "Softmax(dim: \(dim))" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        do { return try input.softmax(dim: dim) } catch { throw LayerError(layer: self, reason: "\(error)") }
    }
}

/// The last time step of a batch-first sequence `(B, T, F)` → `(B, F)`: an LSTM's final output.
public final class LastStep: Module {
    public override init() { super.init() }
    public override var typeDescription: String { "LastStep()" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, input.shape[1] > 0 else {
            throw LayerError(layer: self, reason: "expected a sequence of shape (B, T, F), got \(input.shape)")
        }
        return try input.select(dim: 1, index: input.shape[1] - 1)
    }
}
