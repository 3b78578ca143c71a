import EngineTensor

/// The training losses of the notebooks, with PyTorch's definitions and defaults.
public enum Loss {
    /// Negative log-likelihood of `logProbs` `(N, C)` at integer `targets`, optionally weighted
    /// per class: sample `i` contributes `−w[yᵢ]·logProbs[i, yᵢ]`, and `.mean` divides by
    /// `Σ w[yᵢ]` (PyTorch's `nll_loss`).
    public static func nll(_ logProbs: Tensor, targets: [Int], weight: Tensor? = nil,
                           reduction: Reduction = .mean) throws -> Tensor {
        try Labels.validate(targets, input: logProbs, op: "nll_loss")
        let classes = logProbs.shape[1]
        try Labels.validate(weight: weight, classes: classes, op: "nll_loss")
        let sampleWeights = targets.map { y in weight.map { $0.storage.pointer[y] } ?? 1 }
        let perSample = Tensor.make([targets.count])
        let lp = logProbs.storage.pointer, out = perSample.storage.pointer
        for (i, y) in targets.enumerated() { out[i] = -sampleWeights[i] * lp[i * classes + y] }
        let picked = Tensor.record(perSample, op: "nll_loss", parents: [logProbs]) { g in
            let grad = Tensor(shape: logProbs.shape, storage: TensorStorage(count: logProbs.count, repeating: 0))
            let gp = g.storage.pointer, dst = grad.storage.pointer
            for (i, y) in targets.enumerated() { dst[i * classes + y] = -sampleWeights[i] * gp[i] }
            return [grad]
        }
        return try reduce(picked, reduction, totalWeight: sampleWeights.reduce(0, +))
    }

    /// NLL with labels held in a 1-D tensor of whole numbers.
    public static func nll(_ logProbs: Tensor, targets: Tensor, weight: Tensor? = nil,
                           reduction: Reduction = .mean) throws -> Tensor {
        try nll(logProbs, targets: Labels.integers(targets, op: "nll_loss"),
                weight: weight, reduction: reduction)
    }

    /// Cross-entropy of raw `logits` `(N, C)` against integer `targets` (PyTorch's
    /// `cross_entropy`): `(1−ε)·NLL(log_softmax) + (ε/C)·Σ_c −w[c]·log_softmax[c]`, where `ε` is
    /// `labelSmoothing` and `w` the optional class weights; `.mean` divides both terms by
    /// `Σ w[yᵢ]` (by `N` without weights).
    public static func crossEntropy(_ logits: Tensor, targets: [Int], weight: Tensor? = nil,
                                    labelSmoothing: Float = 0, reduction: Reduction = .mean) throws -> Tensor {
        guard labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw TensorError(op: "cross_entropy", reason: "label smoothing must be in [0, 1], got \(labelSmoothing)")
        }
        try Labels.validate(targets, input: logits, op: "cross_entropy")
        let logProbs = try logits.logSoftmax(dim: 1)
        let nllPart = try nll(logProbs, targets: targets, weight: weight, reduction: reduction)
        guard labelSmoothing > 0 else { return nllPart }
        let classes = logits.shape[1]
        let weighted = try weight.map { try logProbs * $0 } ?? logProbs
        let smooth = try -weighted.sum(dim: 1)
        let totalWeight = weight.map { w in targets.reduce(Float(0)) { $0 + w.storage.pointer[$1] } } ?? Float(targets.count)
        let smoothPart = try reduce(smooth, reduction, totalWeight: totalWeight)
        return try nllPart * (1 - labelSmoothing) + smoothPart * (labelSmoothing / Float(classes))
    }

    /// Cross-entropy with labels held in a 1-D tensor of whole numbers.
    public static func crossEntropy(_ logits: Tensor, targets: Tensor, weight: Tensor? = nil,
                                    labelSmoothing: Float = 0, reduction: Reduction = .mean) throws -> Tensor {
        try crossEntropy(logits, targets: Labels.integers(targets, op: "cross_entropy"),
                         weight: weight, labelSmoothing: labelSmoothing, reduction: reduction)
    }

    /// Mean squared error between equal-shape tensors (`.none` keeps the elementwise squares).
    public static func mse(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        guard input.shape == target.shape else { throw TensorError.shapes("mse_loss", input.shape, target.shape, "input and target must have the same shape") }
        let diff = try input - target
        let squared = try diff * diff
        switch reduction {
        case .mean: return try squared.mean()
        case .sum: return try squared.sum()
        case .none: return squared
        }
    }

    /// Applies `reduction` to per-sample losses; `.mean` divides by `totalWeight`.
    private static func reduce(_ perSample: Tensor, _ reduction: Reduction, totalWeight: Float) throws -> Tensor {
        switch reduction {
        case .none: return perSample
        case .sum: return try perSample.sum()
        case .mean: return try perSample.sum() / totalWeight
        }
    }
}
