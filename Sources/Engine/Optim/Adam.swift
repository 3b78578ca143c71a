import Foundation
import EngineTensor

/// Adam (Kingma & Ba) with PyTorch's semantics: `m = β₁m + (1−β₁)g`, `v = β₂v + (1−β₂)g²`,
/// `p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`. Weight decay is coupled L2 (`g += λp`) here and
/// decoupled (`p *= 1 − lr·λ` first) in `AdamW`. With `amsgrad`, the running maximum of `v`
/// is used in the denominator.
public class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    /// Decay rates `(β₁, β₂)` of the first and second moment estimates (double, as PyTorch
    /// forms `1 − β` in double before rounding to float).
    public let betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public let epsilon: Float
    /// Weight decay `λ`.
    public let weightDecay: Float
    /// Whether to keep the maximum of past second moments (AMSGrad).
    public let amsgrad: Bool
    /// Whether weight decay is decoupled from the gradient (AdamW).
    let decoupled: Bool
    private var buffers: OptimizerState

    /// An Adam optimizer with PyTorch's defaults; throws on out-of-range settings.
    public convenience init(parameters: [Tensor], learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            epsilon: Float = 1e-8, weightDecay: Float = 0, amsgrad: Bool = false) throws {
        try self.init(parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                      weightDecay: weightDecay, amsgrad: amsgrad, decoupled: false)
    }

    init(parameters: [Tensor], learningRate: Float, betas: (Double, Double), epsilon: Float,
         weightDecay: Float, amsgrad: Bool, decoupled: Bool) throws {
        let name = decoupled ? "AdamW" : "Adam"
        guard learningRate >= 0, epsilon >= 0, weightDecay >= 0 else {
            throw TensorError(op: name, reason: "learning rate, epsilon and weight decay must be ≥ 0")
        }
        guard (0..<1).contains(betas.0), (0..<1).contains(betas.1) else {
            throw TensorError(op: name, reason: "betas must be in [0, 1), got \(betas)")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.decoupled = decoupled
        buffers = OptimizerState(parameterCount: parameters.count)
    }

    public func step() throws {
        let (beta1, beta2) = betas
        for (i, p) in parameters.enumerated() {
            guard let grad = try p.gradientForUpdate(op: decoupled ? "AdamW" : "Adam") else { continue }
            let stepTensor = buffers.buffer(i, "step", shape: [])
            stepTensor.storage.pointer[0] += 1
            let t = Double(stepTensor.storage.pointer[0])
            let correction1 = 1 - Foundation.pow(Double(beta1), t)
            let correction2Root = (1 - Foundation.pow(Double(beta2), t)).squareRoot()
            let stepSize = Float(Double(learningRate) / correction1), correction2 = Float(correction2Root)
            let take1 = Float(1 - beta1), keep2 = Float(beta2), take2 = Float(1 - beta2)
            let n = p.count, w = p.storage.pointer, g = grad.storage.pointer
            let m = buffers.buffer(i, "exp_avg", shape: p.shape).storage.pointer
            let v = buffers.buffer(i, "exp_avg_sq", shape: p.shape).storage.pointer
            let vMax = amsgrad ? buffers.buffer(i, "max_exp_avg_sq", shape: p.shape).storage.pointer : v
            let coupledDecay = decoupled ? 0 : weightDecay
            if decoupled && weightDecay != 0 {
                let shrink = 1 - learningRate * weightDecay
                for j in 0..<n { w[j] *= shrink }
            }
            for j in 0..<n {
                let gj = g[j] + coupledDecay * w[j]
                m[j] += (gj - m[j]) * take1
                v[j] = keep2 * v[j] + take2 * gj * gj
                if amsgrad { vMax[j] = Swift.max(vMax[j], v[j]) }
                w[j] -= stepSize * (m[j] / (vMax[j].squareRoot() / correction2 + epsilon))
            }
        }
    }

    public func state() -> [String: Tensor] { buffers.exported(learningRate: learningRate) }

    public func loadState(_ state: [String: Tensor]) throws {
        let names: Set<String> = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
        if let lr = try buffers.load(state, parameters: parameters, allowed: names, op: decoupled ? "AdamW" : "Adam") { learningRate = lr }
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's `AdamW`: each step first
/// shrinks parameters by `1 − lr·λ`, then applies the Adam update without decay in the gradient.
public final class AdamW: Adam {
    /// An AdamW optimizer with PyTorch's defaults (weight decay 0.01).
    public init(parameters: [Tensor], learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Float = 1e-8, weightDecay: Float = 1e-2, amsgrad: Bool = false) throws {
        try super.init(parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
                       weightDecay: weightDecay, amsgrad: amsgrad, decoupled: true)
    }
}
