import Foundation
import EngineTensor

/// Gradient clipping, as PyTorch's `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`.
public enum GradientClipping {
    /// Rescales all gradients together so their combined `normType`-norm is at most `maxNorm`
    /// (scale `maxNorm / (norm + 1e-6)` when that is below 1) and returns the norm before
    /// clipping. `normType` may be `.infinity`. Parameters without gradients are skipped.
    @discardableResult
    public static func clipNorm(_ parameters: [Tensor], maxNorm: Float, normType: Float = 2) throws -> Float {
        guard normType > 0, maxNorm >= 0 else {
            throw TensorError(op: "clip_grad_norm", reason: "norm type must be > 0 and max norm ≥ 0 (got \(normType), \(maxNorm))")
        }
        let grads = parameters.compactMap(\.grad)
        var total = 0.0
        for g in grads {
            let p = g.storage.pointer
            if normType == .infinity {
                for j in 0..<g.count { total = Swift.max(total, Double(Swift.abs(p[j]))) }
            } else if normType == 2 {
                for j in 0..<g.count { total += Double(p[j]) * Double(p[j]) }
            } else {
                for j in 0..<g.count { total += Foundation.pow(Double(Swift.abs(p[j])), Double(normType)) }
            }
        }
        let norm = normType == .infinity ? total : Foundation.pow(total, 1 / Double(normType))
        let scale = Float(Double(maxNorm) / (norm + 1e-6))
        if scale < 1 {
            for g in grads {
                let p = g.storage.pointer
                for j in 0..<g.count { p[j] *= scale }
            }
        }
        return Float(norm)
    }

    /// Clamps every gradient element to `[-clipValue, clipValue]`.
    public static func clipValue(_ parameters: [Tensor], clipValue: Float) {
        let bound = Swift.abs(clipValue)
        for g in parameters.compactMap(\.grad) {
            let p = g.storage.pointer
            for j in 0..<g.count { p[j] = Swift.min(Swift.max(p[j], -bound), bound) }
        }
    }
}
