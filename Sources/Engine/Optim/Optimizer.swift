import EngineTensor

/// A gradient-descent optimizer over a fixed list of parameters, PyTorch style: call `zeroGrad()`,
/// compute a loss, `backward()`, then `step()`.
///
/// State (momentum buffers, Adam moments, step counts) is exported by `state()` as named tensors
/// (`"state.<parameter index>.<buffer>"`, plus `"lr"`) for checkpoints and read back by
/// `loadState(_:)`.
public protocol Optimizer: AnyObject {
    /// The tensors updated by `step()`, in the order their state is indexed.
    var parameters: [Tensor] { get }
    /// The current learning rate (schedulers change it between steps).
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient.
    func step() throws
    /// Every buffer of the optimizer by name.
    func state() -> [String: Tensor]
    /// Restores buffers previously returned by `state()`; throws on unknown names or shapes.
    func loadState(_ state: [String: Tensor]) throws
}

extension Optimizer {
    /// Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for p in parameters { p.grad = nil }
    }
}

/// Per-parameter named buffers, shared by the optimizers for bookkeeping and (de)serialisation.
struct OptimizerState {
    /// `buffers[i][name]` belongs to parameter `i`.
    private(set) var buffers: [[String: Tensor]]

    init(parameterCount: Int) { buffers = Array(repeating: [:], count: parameterCount) }

    /// The buffer `name` of parameter `i`, created as zeros of `shape` if missing.
    package mutating func buffer(_ i: Int, _ name: String, shape: [Int]) -> Tensor {
        if let existing = buffers[i][name] { return existing }
        let fresh = Tensor(shape: shape, storage: TensorStorage(count: Dim.count(shape), repeating: 0))
        buffers[i][name] = fresh
        return fresh
    }

    /// Whether parameter `i` already has buffer `name`.
    package func has(_ i: Int, _ name: String) -> Bool { buffers[i][name] != nil }

    /// Sets buffer `name` of parameter `i`.
    package mutating func set(_ i: Int, _ name: String, _ tensor: Tensor) { buffers[i][name] = tensor }

    /// All buffers as `"state.<i>.<name>"` plus the learning rate.
    func exported(learningRate: Float) -> [String: Tensor] {
        var out: [String: Tensor] = ["lr": Tensor(scalar: learningRate)]
        for (i, named) in buffers.enumerated() {
            for (name, tensor) in named { out["state.\(i).\(name)"] = tensor.clone() }
        }
        return out
    }

    /// Reads buffers exported by `exported`, checking names, parameter indices and shapes.
    package mutating func load(_ state: [String: Tensor], parameters: [Tensor], allowed: Set<String>, op: String) throws -> Float? {
        var loaded = OptimizerState(parameterCount: parameters.count)
        var learningRate: Float?
        for (key, tensor) in state {
            if key == "lr" {
                learningRate = try tensor.item()
                continue
            }
            let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]), i >= 0, i < parameters.count,
                  allowed.contains(parts[2]) else {
                throw TensorError(op: op, reason: "unexpected optimizer state entry '\(key)' for \(parameters.count) parameters")
            }
            let expected = parts[2] == "step" ? [] : parameters[i].shape
            guard tensor.shape == expected || (parts[2] == "step" && tensor.count == 1) else {
                throw TensorError.shapes(op, tensor.shape, expected, "state '\(key)' does not fit its parameter")
            }
            loaded.set(i, parts[2], tensor.clone())
        }
        self = loaded
        return learningRate
    }
}

extension Tensor {
    /// This tensor's gradient for an update, or `nil` when it has none; throws if its shape drifted.
    func gradientForUpdate(op: String) throws -> Tensor? {
        guard let grad else { return nil }
        guard grad.shape == shape else { throw TensorError.shapes(op, shape, grad.shape, "gradient shape differs from the parameter") }
        return grad
    }
}
