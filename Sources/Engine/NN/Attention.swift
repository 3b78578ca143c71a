/// Multi-head self-attention with PyTorch's `nn.MultiheadAttention` parameters and semantics:
/// `in_proj_weight` `(3E, E)` (xavier-uniform) and `in_proj_bias` (zeros) project the input to
/// queries, keys and values; each of `numHeads` heads attends with `softmax(QKᵀ/√d)`, dropout on
/// the probabilities in training; `out_proj` (a Linear with zero bias) mixes the heads.
///
/// Input `(T, B, E)` (sequence first, PyTorch's default) or `(B, T, E)` with `batchFirst`.
/// Queries, keys and values are read in place from the packed projection; the attention core is
/// one differentiable op on batched GEMMs.
public final class MultiheadAttention: Module {
    public let embedDim: Int
    public let numHeads: Int
    public let dropout: Float
    public let batchFirst: Bool
    public let inProjWeight: Tensor
    public let inProjBias: Tensor?
    public let outProj: Linear
    let generator: RandomGenerator

    public init(embedDim: Int, numHeads: Int, dropout: Float = 0, bias: Bool = true, batchFirst: Bool = false,
                generator: RandomGenerator = .global) throws {
        try requirePositive("MultiheadAttention", ["embedDim": embedDim, "numHeads": numHeads])
        guard embedDim % numHeads == 0 else {
            throw LayerConfigurationError(layer: "MultiheadAttention", reason: "embedDim \(embedDim) is not divisible by numHeads \(numHeads)")
        }
        guard dropout >= 0, dropout < 1 else {
            throw LayerConfigurationError(layer: "MultiheadAttention", reason: "dropout must lie in [0, 1), got \(dropout)")
        }
        self.embedDim = embedDim
        self.numHeads = numHeads
        self.dropout = dropout
        self.batchFirst = batchFirst
        inProjWeight = try Initialization.xavierUniform(fanOut: 3 * embedDim, fanIn: embedDim, generator: generator)
        inProjBias = bias ? try Tensor.zeros([3 * embedDim]) : nil
        outProj = try Linear(embedDim, embedDim, bias: bias, generator: generator)
        if let outBias = outProj.bias { outBias.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        self.generator = generator.fork()
        super.init()
        registerParameter("in_proj_weight", inProjWeight)
        if let inProjBias { registerParameter("in_proj_bias", inProjBias) }
        registerModule("out_proj", outProj)
    }

    public override var typeDescription: String {
        "MultiheadAttention(embed: \(embedDim), heads: \(numHeads), dropout: \(dropout)\(batchFirst ? ", batchFirst" : ""))"
    }

    /// Self-attention: queries, keys and values all come from `input`.
    public override func forward(_ input: Tensor) throws -> Tensor {
        let order = batchFirst ? "(B, T, \(embedDim))" : "(T, B, \(embedDim))"
        guard input.rank == 3, input.shape[2] == embedDim, input.shape[0] > 0, input.shape[1] > 0 else {
            throw LayerError(layer: self, reason: "expected input of shape \(order), got \(input.shape)")
        }
        let packed = try Linear.apply(input, weight: inProjWeight, bias: inProjBias)
        let attended = try attend(packed)
        return try outProj(attended)
    }

    /// The attention core on the packed `(…, 3E)` projection → `(…, E)` in the same layout.
    private func attend(_ packed: Tensor) throws -> Tensor {
        let (outer, inner) = (packed.shape[0], packed.shape[1])
        let (batch, steps) = batchFirst ? (outer, inner) : (inner, outer)
        let e = embedDim
        let g = AttentionGeometry(
            batch: batch, heads: numHeads, steps: steps, headDim: e / numHeads,
            input: batchFirst ? SequenceLayout(rowStride: 3 * e, sequenceStride: steps * 3 * e)
                              : SequenceLayout(rowStride: batch * 3 * e, sequenceStride: 3 * e),
            output: batchFirst ? SequenceLayout(rowStride: e, sequenceStride: steps * e)
                               : SequenceLayout(rowStride: batch * e, sequenceStride: e))
        let scale = 1 / Float(g.headDim).squareRoot()
        let mask = isTraining && dropout > 0
            ? try Dropout.mask(count: g.probabilityCount, probability: dropout, generator: generator) : nil
        let probabilities = TensorStorage(uninitializedCount: g.probabilityCount)
        let output = try Tensor.uninitialized([outer, inner, e])
        let base = packed.storage.pointer
        AttentionKernels.forward(g, query: base, key: base + e, value: base + 2 * e, scale: scale,
                                 mask: mask?.pointer, probabilities: probabilities.pointer, output: output.storage.pointer)
        return Tensor.record(output, op: "attention", parents: [packed]) { gradOutput in
            let gradPacked = try Tensor.uninitialized(packed.shape)
            let d = gradPacked.storage.pointer
            AttentionKernels.backward(g, query: base, key: base + e, value: base + 2 * e, scale: scale,
                                      mask: mask?.pointer, probabilities: probabilities.pointer,
                                      gradOutput: gradOutput.storage.pointer,
                                      gradQuery: d, gradKey: d + e, gradValue: d + 2 * e)
            return [gradPacked]
        }
    }
}

/// Attention pooling over time (the notebooks' `attention_linear`): a `score` Linear `(F → 1)` rates
/// every step of `(B, T, F)`, a softmax over time turns the ratings into weights, and the output is
/// the weighted sum `(B, F)`. `lastWeights` keeps the most recent weights as `(B, 1, T)`.
public final class AttentionPooling: Module {
    public let score: Linear
    /// The weights of the latest forward pass, `(B, 1, T)`, as the notebooks return them.
    public private(set) var lastWeights: Tensor?

    public init(features: Int, generator: RandomGenerator = .global) throws {
        score = try Linear(features, 1, generator: generator)
        super.init()
        registerModule("score", score)
    }

    public override var typeDescription: String { "AttentionPooling(features: \(score.inFeatures))" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let (pooled, weights) = try AttentionPooling.pool(input, score: score)
        lastWeights = weights
        return pooled
    }

    /// Pools `sequence` `(B, T, F)` with the scoring layer `score` (F → 1); returns the pooled
    /// `(B, F)` and the weights `(B, 1, T)` — both differentiable. Models that own their scoring
    /// Linear under another name (the notebooks' `attention_linear`) call this directly.
    public static func pool(_ sequence: Tensor, score: Linear) throws -> (pooled: Tensor, weights: Tensor) {
        guard sequence.rank == 3, sequence.shape[2] == score.inFeatures, sequence.shape[1] > 0 else {
            throw LayerError(layer: score, reason: "attention pooling expects (B, T, \(score.inFeatures)), got \(sequence.shape)")
        }
        let (batch, steps, features) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        let scores = try score(sequence)                                   // (B, T, 1)
        let weights = try scores.reshape([batch, 1, steps]).softmax(dim: -1)
        let output = try Tensor.uninitialized([batch, features])
        let (w, x, y) = (weights.storage.pointer, sequence.storage.pointer, output.storage.pointer)
        for b in 0..<batch {
            BLAS.sgemv(trans: true, rows: steps, cols: features, a: x + b * steps * features, lda: features,
                       x: w + b * steps, y: y + b * features)
        }
        let pooled = Tensor.record(output, op: "attention_pool", parents: [weights, sequence]) { gradOutput in
            let gradWeights = try Tensor.uninitialized(weights.shape), gradSequence = try Tensor.uninitialized(sequence.shape)
            let (dy, dw, dx) = (gradOutput.storage.pointer, gradWeights.storage.pointer, gradSequence.storage.pointer)
            for b in 0..<batch {
                BLAS.sgemv(rows: steps, cols: features, a: x + b * steps * features, lda: features,
                           x: dy + b * features, y: dw + b * steps)
                for t in 0..<steps {
                    let row = dx + (b * steps + t) * features, scale = w[b * steps + t]
                    for f in 0..<features { row[f] = scale * dy[b * features + f] }
                }
            }
            return [gradWeights, gradSequence]
        }
        return (pooled, weights)
    }
}
