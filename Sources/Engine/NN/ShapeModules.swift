import EngineTensor

/// Shape utilities as modules (parameter-free), so they can sit inside `Sequential`.
/// Their failures name the layer and the input shape.

/// `relu` as a layer.
public final class ReLU: Module {
    public override var typeDescription: String { "ReLU()" }
    public override func forward(_ input: Tensor) throws -> Tensor { input.relu() }
}

/// Flattens dimensions `startDim...endDim` into one (PyTorch's `nn.Flatten`, default from dim 1).
public final class Flatten: Module {
    public let startDim: Int
    public let endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    public override var typeDescription: String { "Flatten(startDim: \(startDim), endDim: \(endDim))" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try attributed { try input.flatten(startDim: startDim, endDim: endDim) }
    }
}

/// Removes dimension `dim` of size 1.
public final class Squeeze: Module {
    public let dim: Int
    public init(_ dim: Int) { self.dim = dim; super.init() }
    public override var typeDescription: String { "Squeeze(\(dim))" }
    public override func forward(_ input: Tensor) throws -> Tensor { try attributed { try input.squeeze(dim) } }
}

/// Inserts a dimension of size 1 at `dim`.
public final class Unsqueeze: Module {
    public let dim: Int
    public init(_ dim: Int) { self.dim = dim; super.init() }
    public override var typeDescription: String { "Unsqueeze(\(dim))" }
    public override func forward(_ input: Tensor) throws -> Tensor { try attributed { try input.unsqueeze(dim) } }
}

/// Reorders the dimensions: output dimension `i` is input dimension `dims[i]`.
public final class Permute: Module {
    public let dims: [Int]
    public init(_ dims: [Int]) { self.dims = dims; super.init() }
    public override var typeDescription: String { "Permute(\(dims))" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard dims.count == input.rank, Set(dims.map { $0 < 0 ? $0 + input.rank : $0 }) == Set(0..<input.rank) else {
            throw LayerError(layer: self, reason: "permutation \(dims) does not fit input of shape \(input.shape)")
        }
        return try attributed { try input.permute(dims) }
    }
}

/// Reshapes to `shape` (one entry may be −1).
public final class Reshape: Module {
    public let shape: [Int]
    public init(_ shape: [Int]) { self.shape = shape; super.init() }
    public override var typeDescription: String { "Reshape(\(shape))" }
    public override func forward(_ input: Tensor) throws -> Tensor { try attributed { try input.reshape(shape) } }
}

/// Mean over dimension `dim` (the transformer branch's average over time).
public final class MeanOverDim: Module {
    public let dim: Int
    public init(_ dim: Int) { self.dim = dim; super.init() }
    public override var typeDescription: String { "Mean(dim: \(dim))" }
    public override func forward(_ input: Tensor) throws -> Tensor { try attributed { try input.mean(dim: dim) } }
}
