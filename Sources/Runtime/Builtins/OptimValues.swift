import Engine

/// An optimizer as a script value (`sgd(model, lr: 0.01)`): `step()`, `zero_grad()`, `lr`.
public final class OptimizerValue: ScriptObject {
    public let optimizer: any Optimizer
    let name: String
    init(_ optimizer: any Optimizer, name: String) {
        self.optimizer = optimizer
        self.name = name
    }
    public var typeName: String { "Optimizer" }
    public var summary: String { "\(name)(lr: \(optimizer.learningRate), \(optimizer.parameters.count) parameter tensors)" }
}

/// A learning-rate schedule bound to an optimizer, stepped once per epoch, or once per batch for
/// `one_cycle` and `warmup_cosine` (by `fit`, or by hand).
public final class ScheduleValue: ScriptObject {
    public let scheduler: any LRScheduler
    let name: String
    init(_ scheduler: any LRScheduler, name: String) {
        self.scheduler = scheduler
        self.name = name
    }
    public var typeName: String { "Schedule" }
    public var summary: String {
        "\(name)(\(scheduler.interval == .batch ? "step" : "epoch") \(scheduler.lastEpoch), lr \(scheduler.optimizer.learningRate))"
    }
}

/// A loss function: called as `loss_fn(logits, labels)` it gives a scalar tensor; `fit` and
/// `evaluate` take it as `loss:`.
public final class LossValue: ScriptObject {
    let name: String
    /// Logits and integer labels → scalar loss (what the training loop uses).
    let function: LossFunction
    /// Prediction and target tensors → loss (for `mse(prediction, target_tensor)` by hand).
    let onTensors: ((Tensor, Tensor) throws -> Tensor)?
    init(name: String, function: @escaping LossFunction, onTensors: ((Tensor, Tensor) throws -> Tensor)? = nil) {
        self.name = name
        self.function = function
        self.onTensors = onTensors
    }
    public var typeName: String { "Loss" }
    public var summary: String { name }
}

extension Arguments {
    /// Parameters to optimize: a model's, or a list of tensors.
    func parameterTensors(_ name: String) throws -> [Tensor] {
        if case .object(let object) = self[name], let model = object as? ModuleValue { return model.module.parameters() }
        if let items = self[name].elements {
            return try items.map { item in
                guard case .object(let object) = item, let tensor = object as? TensorValue else {
                    throw BuiltinError("\(builtin.qualifiedName): parameters must be tensors, got \(item.typeName)")
                }
                return tensor.tensor
            }
        }
        throw BuiltinError("\(builtin.qualifiedName): '\(name)' must be a model or a list of tensors, got \(self[name].typeName)")
    }

    /// The optimizer at `index`.
    func optimizer(_ name: String) throws -> any Optimizer {
        try object(name, as: OptimizerValue.self, named: "optimizer (sgd, adam, adamw)").optimizer
    }

    /// A `(β1, β2)` pair.
    func betas(_ name: String) throws -> (Double, Double) {
        let items = try list(name)
        guard items.count == 2, let first = items[0].asDouble, let second = items[1].asDouble else {
            throw BuiltinError("\(builtin.qualifiedName): betas must be two numbers [b1, b2], got \(self[name].repr)")
        }
        return (first, second)
    }
}
