import EngineTensor

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
