import EngineTensor

/// Batch normalisation with PyTorch semantics: in training, normalise by the batch mean and biased
/// variance per channel and move `running_mean` / `running_var` towards the batch mean and unbiased
/// variance with `momentum` (0.1); in eval, normalise by the running statistics.
/// Keys `weight` (ones), `bias` (zeros), buffers `running_mean` (zeros), `running_var` (ones),
/// `num_batches_tracked` (a scalar counter).
public class BatchNormLayer: Module {
    public let numFeatures: Int
    /// Weight of the newest batch in the running statistics (`update_bn` sets 1/k for a plain mean).
    public package(set) var momentum: Float
    public let epsilon: Float
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor
    public let numBatchesTracked: Tensor
    /// The ranks whose batches training statistics are taken over (`fit(sync_batchnorm:)`, see
    /// `SyncBatchNorm.swift`); nil: this process's batch alone.
    public package(set) var statisticsGroup: (any Communicator)?
    private let ranks: Set<Int>
    private let name: String

    init(name: String, ranks: Set<Int>, numFeatures: Int, momentum: Float, epsilon: Float) throws {
        try requirePositive(name, ["numFeatures": numFeatures])
        self.name = name
        self.ranks = ranks
        self.numFeatures = numFeatures
        self.momentum = momentum
        self.epsilon = epsilon
        weight = try Tensor.ones([numFeatures])
        bias = try Tensor.zeros([numFeatures])
        runningMean = try Tensor.zeros([numFeatures])
        runningVar = try Tensor.ones([numFeatures])
        numBatchesTracked = try Tensor.zeros([])
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", bias)
        registerBuffer("running_mean", runningMean)
        registerBuffer("running_var", runningVar)
        registerBuffer("num_batches_tracked", numBatchesTracked)
    }

    public override var typeDescription: String { "\(name)(\(numFeatures), momentum: \(momentum), eps: \(epsilon))" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard ranks.contains(input.rank), input.shape[1] == numFeatures else {
            let expected = ranks.contains(4) ? "(N, \(numFeatures), H, W)" : "(N, \(numFeatures)) or (N, \(numFeatures), L)"
            throw LayerError(layer: self, reason: "expected input of shape \(expected), got \(input.shape)")
        }
        if isTraining, let group = statisticsGroup, group.size > 1 { return try synchronizedForward(input, group: group) }
        let (batch, channels) = (input.shape[0], numFeatures)
        let length = input.count / max(1, batch * channels)
        let useBatch = isTraining
        if useBatch && batch * length <= 1 {
            throw LayerError(layer: self, reason: "training needs more than one value per channel, got input \(input.shape)")
        }
        let output = try Tensor.uninitialized(input.shape)
        let saved = try Tensor.uninitialized([2, channels])   // mean, 1/std
        let (weight, bias) = (self.weight, self.bias)
        BatchNormKernels.forward(batch: batch, channels: channels, length: length, training: useBatch,
                                 momentum: momentum, epsilon: epsilon, input: input.storage.pointer,
                                 weight: weight.storage.pointer, bias: bias.storage.pointer,
                                 runningMean: runningMean.storage.pointer, runningVar: runningVar.storage.pointer,
                                 output: output.storage.pointer, savedMean: saved.storage.pointer,
                                 savedInvStd: saved.storage.pointer + channels)
        if useBatch { numBatchesTracked.storage.pointer[0] += 1 }
        return Tensor.record(output, op: "batch_norm", parents: [input, weight, bias]) { gradOutput in
            let gradInput = input.requiresGrad ? try Tensor.uninitialized(input.shape) : nil
            let gradWeight = try Tensor.uninitialized([channels]), gradBias = try Tensor.uninitialized([channels])
            BatchNormKernels.backward(batch: batch, channels: channels, length: length, batchStatistics: useBatch,
                                      input: input.storage.pointer, weight: weight.storage.pointer,
                                      savedMean: saved.storage.pointer, savedInvStd: saved.storage.pointer + channels,
                                      gradOutput: gradOutput.storage.pointer, gradInput: gradInput?.storage.pointer,
                                      gradWeight: gradWeight.storage.pointer, gradBias: gradBias.storage.pointer)
            return [gradInput, gradWeight, gradBias]
        }
    }
}

/// Batch normalisation over `(N, C)` or `(N, C, L)`.
public final class BatchNorm1d: BatchNormLayer {
    public init(_ numFeatures: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) throws {
        try super.init(name: "BatchNorm1d", ranks: [2, 3], numFeatures: numFeatures, momentum: momentum, epsilon: epsilon)
    }
}

/// Batch normalisation over `(N, C, H, W)`.
public final class BatchNorm2d: BatchNormLayer {
    public init(_ numFeatures: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) throws {
        try super.init(name: "BatchNorm2d", ranks: [4], numFeatures: numFeatures, momentum: momentum, epsilon: epsilon)
    }
}

/// Layer normalisation over the trailing `normalizedShape` dimensions (biased variance, `eps` 1e-5),
/// with elementwise `weight` (ones) and `bias` (zeros) of that shape.
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let epsilon: Float
    public let weight: Tensor?
    public let bias: Tensor?

    public init(_ normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true) throws {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw LayerConfigurationError(layer: "LayerNorm", reason: "normalized shape must be non-empty and positive, got \(normalizedShape)")
        }
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? try Tensor.ones(normalizedShape) : nil
        bias = elementwiseAffine ? try Tensor.zeros(normalizedShape) : nil
        super.init()
        if let weight, let bias {
            registerParameter("weight", weight)
            registerParameter("bias", bias)
        }
    }

    /// Normalisation over the last dimension of width `features`.
    public convenience init(_ features: Int, epsilon: Float = 1e-5) throws {
        try self.init([features], epsilon: epsilon)
    }

    public override var typeDescription: String { "LayerNorm(\(normalizedShape), eps: \(epsilon))" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank >= normalizedShape.count, Array(input.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw LayerError(layer: self, reason: "expected input of shape (…, \(normalizedShape.map(String.init).joined(separator: ", "))), got \(input.shape)")
        }
        let width = normalizedShape.reduce(1, *)
        let rows = input.count / width
        let output = try Tensor.uninitialized(input.shape)
        let saved = try Tensor.uninitialized([2, rows])
        let (weight, bias) = (self.weight, self.bias)
        LayerNormKernels.forward(rows: rows, width: width, epsilon: epsilon, input: input.storage.pointer,
                                 weight: weight?.storage.pointer, bias: bias?.storage.pointer,
                                 output: output.storage.pointer, savedMean: saved.storage.pointer,
                                 savedInvStd: saved.storage.pointer + rows)
        let parents = [input] + [weight, bias].compactMap { $0 }
        return Tensor.record(output, op: "layer_norm", parents: parents) { gradOutput in
            let gradInput = input.requiresGrad ? try Tensor.uninitialized(input.shape) : nil
            let gradWeight = try weight.map { try Tensor.uninitialized($0.shape) }
            let gradBias = try bias.map { try Tensor.uninitialized($0.shape) }
            LayerNormKernels.backward(rows: rows, width: width, input: input.storage.pointer,
                                      weight: weight?.storage.pointer, savedMean: saved.storage.pointer,
                                      savedInvStd: saved.storage.pointer + rows, gradOutput: gradOutput.storage.pointer,
                                      gradInput: gradInput?.storage.pointer, gradWeight: gradWeight?.storage.pointer,
                                      gradBias: gradBias?.storage.pointer)
            return [gradInput] + (weight == nil ? [] : [gradWeight, gradBias])
        }
    }
}
