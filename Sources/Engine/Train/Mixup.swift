import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Mixup (Zhang et al., ICLR 2018): each training batch is blended with a shuffled copy of itself,
/// `x̃ = λ·x + (1 − λ)·x[π]` with `λ ~ Beta(α, α)`, and trained on
/// `λ·L(f(x̃), y) + (1 − λ)·L(f(x̃), y[π])` — for cross-entropy (with or without label smoothing)
/// this equals the loss on the correspondingly mixed target distribution.
public struct Mixup: Sendable {
    /// The Beta distribution's parameter α (> 0); small values keep most λ near 0 or 1.
    public let alpha: Double

    /// Mixup with `Beta(alpha, alpha)` weights.
    public init(alpha: Double) throws {
        guard alpha > 0, alpha.isFinite else { throw TrainError("mixup alpha must be positive, got \(alpha)") }
        self.alpha = alpha
    }

    /// Draws λ, then a permutation of the batch, from `generator`, and blends `batch`.
    public func mix(_ batch: Batch, generator: RandomGenerator) throws -> MixedBatch {
        let lambda = Float(generator.beta(alpha, alpha))
        let partners = generator.permutation(batch.labels.count)
        return try MixedBatch(batch, partners: partners, lambda: lambda)
    }

    /// The generator of epoch `epoch`'s draws: keyed by the seed and the epoch only, so a resumed
    /// run draws the same λ and partners as a straight one.
    static func generator(seed: UInt64, epoch: Int) -> RandomGenerator {
        RandomGenerator(seed: seed, stream: [0x313C, UInt64(truncatingIfNeeded: epoch)])
    }
}

/// A training batch after mixing (or unchanged, λ = 1): inputs, both label lists and the weight.
public struct MixedBatch {
    /// The blended inputs `λ·x + (1 − λ)·x[partners]`.
    public let features: Tensor
    /// The original labels `y`.
    public let labels: [Int]
    /// The partners' labels `y[partners]`.
    public let partnerLabels: [Int]
    /// The weight of the original examples.
    public let lambda: Float

    /// The batch as it is (no mixing).
    public init(unmixed batch: Batch) {
        features = batch.features
        labels = batch.labels
        partnerLabels = batch.labels
        lambda = 1
    }

    /// `batch` blended with its rows reordered by `partners` (a permutation of the batch).
    public init(_ batch: Batch, partners: [Int], lambda: Float) throws {
        guard partners.count == batch.labels.count else {
            throw TrainError("mixup: \(partners.count) partners for a batch of \(batch.labels.count)")
        }
        features = try batch.features * lambda + (try batch.features.indexSelect(dim: 0, indices: partners)) * (1 - lambda)
        labels = batch.labels
        partnerLabels = partners.map { batch.labels[$0] }
        self.lambda = lambda
    }

    /// `λ·loss(logits, y) + (1 − λ)·loss(logits, y[partners])` (just the first term when λ = 1).
    public func loss(_ logits: Tensor, _ loss: LossFunction) throws -> Tensor {
        let own = try loss(logits, labels)
        guard lambda != 1 else { return own }
        return try own * lambda + (try loss(logits, partnerLabels)) * (1 - lambda)
    }

    /// Correct predictions weighted like the loss: `λ·[ŷ = y] + (1 − λ)·[ŷ = y[partners]]` summed.
    public func correct(_ predictions: [Int]) -> Double {
        var total = 0.0
        for (index, predicted) in predictions.enumerated() {
            if predicted == labels[index] { total += Double(lambda) }
            if predicted == partnerLabels[index] { total += 1 - Double(lambda) }
        }
        return total
    }
}
