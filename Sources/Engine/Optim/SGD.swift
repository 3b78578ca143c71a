import EngineTensor

/// Stochastic gradient descent with PyTorch's semantics:
/// `d = g + λ·p` (coupled L2 weight decay); with momentum `μ`, `b = d` on the first step, then
/// `b = μ·b + (1 − dampening)·d`; `d = d + μ·b` (Nesterov) or `d = b`; finally `p −= lr·d`.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    /// Momentum factor `μ` (0 disables the buffer).
    public let momentum: Float
    /// Dampening applied to new gradients in the momentum buffer.
    public let dampening: Float
    /// L2 penalty `λ`, added to the gradient.
    public let weightDecay: Float
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool
    private var buffers: OptimizerState

    /// An SGD optimizer; throws on invalid settings (Nesterov needs momentum and no dampening).
    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) throws {
        guard learningRate >= 0, momentum >= 0, weightDecay >= 0 else {
            throw TensorError(op: "SGD", reason: "learning rate, momentum and weight decay must be ≥ 0 (got \(learningRate), \(momentum), \(weightDecay))")
        }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw TensorError(op: "SGD", reason: "Nesterov momentum requires momentum > 0 and zero dampening")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = OptimizerState(parameterCount: parameters.count)
    }

    public func step() throws {
        for (i, p) in parameters.enumerated() {
            guard let grad = try p.gradientForUpdate(op: "SGD") else { continue }
            let n = p.count, w = p.storage.pointer, g = grad.storage.pointer
            let lr = learningRate, decay = weightDecay, mu = momentum
            guard mu != 0 else {
                for j in 0..<n { w[j] -= lr * (g[j] + decay * w[j]) }
                continue
            }
            let first = !buffers.has(i, "momentum_buffer")
            let b = buffers.buffer(i, "momentum_buffer", shape: p.shape).storage.pointer
            let keep = first ? 0 : mu, take = first ? 1 : 1 - dampening
            for j in 0..<n {
                let d = g[j] + decay * w[j]
                b[j] = keep * b[j] + take * d
                w[j] -= lr * (nesterov ? d + mu * b[j] : b[j])
            }
        }
    }

    public func state() -> [String: Tensor] { buffers.exported(learningRate: learningRate) }

    public func loadState(_ state: [String: Tensor]) throws {
        if let lr = try buffers.load(state, parameters: parameters, allowed: ["momentum_buffer"], op: "SGD") { learningRate = lr }
    }
}
