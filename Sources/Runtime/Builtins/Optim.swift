import Engine

extension BuiltinRegistry {
    /// Losses, optimizers, LR schedules, gradient clipping and `no_grad`: everything a hand-written
    /// training loop needs besides the model.
    func registerOptim() {
        domain = "Optim"
        function("cross_entropy", [Parameter("weight", nil), Parameter("label_smoothing", 0.0), Parameter("reduction", "mean")],
                 doc: "The cross-entropy loss on logits `(N, C)` and integer labels (PyTorch `nn.CrossEntropyLoss`), with optional class `weight`s (a list or tensor of C) and `label_smoothing`; call it as `loss_fn(logits, labels)` or pass it to `fit(loss:)`.") { a in
            let weight = a.isNil("weight") ? nil : try a.tensor("weight")
            let smoothing = try a.float("label_smoothing")
            let reduction = try a.reduction("reduction")
            return .object(LossValue(name: "cross_entropy") { logits, labels in
                try Loss.crossEntropy(logits, targets: labels, weight: weight, labelSmoothing: smoothing, reduction: reduction)
            })
        }
        function("mse", [Parameter("reduction", "mean")],
                 doc: "The mean squared error loss (PyTorch `nn.MSELoss`): `loss_fn(prediction, target)` on equal-shape tensors; with integer labels (in `fit`) the target is their one-hot encoding.") { a in
            let reduction = try a.reduction("reduction")
            return .object(LossValue(name: "mse", function: { output, labels in
                try Loss.mse(output, try Self.oneHot(labels, like: output), reduction: reduction)
            }, onTensors: { output, target in try Loss.mse(output, target, reduction: reduction) }))
        }
        method("Loss", "call", [Parameter("output"), Parameter("target")],
               doc: "The loss of `output` against `target` (integer labels as a list or tensor; a tensor of targets for mse) as a scalar tensor; call `.backward()` on it.") { a in
            let loss = try a.receiver(as: LossValue.self)
            let output = try a.tensor("output")
            if case .object(let object) = a["target"], let target = object as? TensorValue, let onTensors = loss.onTensors {
                return .object(TensorValue(try onTensors(output, target.tensor)))
            }
            return .object(TensorValue(try loss.function(output, try a.labels("target"))))
        }
        registerOptimizers()
        registerSchedules()
        function("clip_grad_norm", [Parameter("parameters"), Parameter("max_norm"), Parameter("norm_type", 2.0)],
                 doc: "Rescales the gradients of a model's (or a list of tensors') parameters so their global norm is at most `max_norm` (PyTorch `clip_grad_norm_`); returns the norm before clipping.") { a in
            .float(Double(try GradientClipping.clipNorm(try a.parameterTensors("parameters"), maxNorm: try a.float("max_norm"), normType: try a.float("norm_type"))))
        }
        function("no_grad", [Parameter("body")],
                 doc: "Calls the function `body` with gradient recording off and returns its result: `no_grad(fn() = model(x))` for inference without a graph.") { a in
            try GradMode.withDisabled { try a.interpreter.call(a["body"], positional: []) }
        }
    }

    private func registerOptimizers() {
        function("sgd", [Parameter("model"), Parameter("lr", 0.001), Parameter("momentum", 0.0), Parameter("dampening", 0.0),
                         Parameter("weight_decay", 0.0), Parameter("nesterov", false)],
                 doc: "Stochastic gradient descent over a model's parameters (PyTorch `optim.SGD`: momentum, dampening, Nesterov, coupled L2 `weight_decay`); the notebooks use `sgd(model, lr: 0.01, momentum: 0.8, weight_decay: 1e-3)`.") { a in
            .object(OptimizerValue(try SGD(parameters: try a.parameterTensors("model"), learningRate: try a.float("lr"), momentum: try a.float("momentum"),
                                           dampening: try a.float("dampening"), weightDecay: try a.float("weight_decay"), nesterov: try a.bool("nesterov")), name: "sgd"))
        }
        function("adam", [Parameter("model"), Parameter("lr", 0.001), Parameter("betas", .list(ListBox([0.9, 0.999]))),
                          Parameter("eps", 1e-8), Parameter("weight_decay", 0.0), Parameter("amsgrad", false)],
                 doc: "Adam over a model's parameters (PyTorch `optim.Adam`, coupled L2 `weight_decay`).") { a in
            .object(OptimizerValue(try Adam(parameters: try a.parameterTensors("model"), learningRate: try a.float("lr"), betas: try a.betas("betas"),
                                            epsilon: try a.float("eps"), weightDecay: try a.float("weight_decay"), amsgrad: try a.bool("amsgrad")), name: "adam"))
        }
        function("adamw", [Parameter("model"), Parameter("lr", 0.001), Parameter("betas", .list(ListBox([0.9, 0.999]))),
                           Parameter("eps", 1e-8), Parameter("weight_decay", 0.01), Parameter("amsgrad", false)],
                 doc: "AdamW over a model's parameters (PyTorch `optim.AdamW`: decoupled weight decay, default 0.01).") { a in
            .object(OptimizerValue(try AdamW(parameters: try a.parameterTensors("model"), learningRate: try a.float("lr"), betas: try a.betas("betas"),
                                             epsilon: try a.float("eps"), weightDecay: try a.float("weight_decay"), amsgrad: try a.bool("amsgrad")), name: "adamw"))
        }
        method("Optimizer", "step", [], doc: "Applies one update to every parameter that has a gradient.") { a in
            try a.receiver(as: OptimizerValue.self).optimizer.step()
            return .null
        }
        method("Optimizer", "zero_grad", [], doc: "Drops every parameter's gradient before the next `backward()`.") { a in
            try a.receiver(as: OptimizerValue.self).optimizer.zeroGrad()
            return .null
        }
        property("Optimizer", "lr", doc: "The current learning rate.") { a in
            .float(Double(try a.receiver(as: OptimizerValue.self).optimizer.learningRate))
        }
        method("Optimizer", "set_lr", [Parameter("lr")], doc: "Sets the learning rate for the following steps.") { a in
            try a.receiver(as: OptimizerValue.self).optimizer.learningRate = try a.float("lr")
            return .null
        }
    }

    private func registerSchedules() {
        function("step_lr", [Parameter("optimizer"), Parameter("step_size"), Parameter("gamma", 0.1)],
                 doc: "Multiplies the learning rate by `gamma` every `step_size` epochs (PyTorch `StepLR`); pass it to `fit(schedule:)` or call `.step()` after each epoch (`one_cycle` and `warmup_cosine` step per batch).") { a in
            .object(ScheduleValue(try StepLR(optimizer: try a.optimizer("optimizer"), stepSize: try a.int("step_size"), gamma: try a.double("gamma")), name: "step_lr"))
        }
        function("cosine_lr", [Parameter("optimizer"), Parameter("t_max"), Parameter("eta_min", 0.0)],
                 doc: "Cosine annealing of the learning rate from its initial value to `eta_min` over `t_max` epochs (PyTorch `CosineAnnealingLR`).") { a in
            .object(ScheduleValue(try CosineAnnealingLR(optimizer: try a.optimizer("optimizer"), tMax: try a.int("t_max"), minimumRate: try a.double("eta_min")),
                                  name: "cosine_lr"))
        }
        function("reduce_on_plateau", [Parameter("optimizer"), Parameter("mode", "min"), Parameter("factor", 0.1),
                                       Parameter("patience", 10), Parameter("threshold", 1e-4), Parameter("cooldown", 0),
                                       Parameter("min_lr", 0.0)],
                 doc: "Multiplies the learning rate by `factor` once the monitored value (fit's monitor, or `.step(metric)`) has not improved for `patience` epochs (PyTorch `ReduceLROnPlateau`; `mode` \"min\" or \"max\").") { a in
            let modeName = try a.string("mode")
            guard let mode = ReduceLROnPlateau.Mode(rawValue: modeName) else {
                throw BuiltinError("reduce_on_plateau: mode must be \"min\" or \"max\", got \"\(modeName)\"")
            }
            return .object(ScheduleValue(try ReduceLROnPlateau(optimizer: try a.optimizer("optimizer"), mode: mode, factor: try a.double("factor"),
                                                               patience: try a.int("patience"), threshold: try a.double("threshold"),
                                                               cooldown: try a.int("cooldown"), minimumRate: try a.double("min_lr")),
                                         name: "reduce_on_plateau"))
        }
        registerBatchSchedules()
        method("Schedule", "step", [Parameter("metric", nil)],
               doc: "Advances the schedule one epoch (one optimizer step for `one_cycle` and `warmup_cosine`); `reduce_on_plateau` needs the monitored `metric`.") { a in
            try a.receiver(as: ScheduleValue.self).scheduler.step(metric: a.isNil("metric") ? nil : try a.double("metric"))
            return .null
        }
        property("Schedule", "lr", doc: "The learning rate the schedule has set.") { a in
            .float(Double(try a.receiver(as: ScheduleValue.self).scheduler.optimizer.learningRate))
        }
    }

    /// One-hot rows `(N, C)` for `labels`, C from `output`'s second dimension.
    static func oneHot(_ labels: [Int], like output: Tensor) throws -> Tensor {
        guard output.rank == 2, output.shape[0] == labels.count else {
            throw BuiltinError("mse: outputs \(output.shape) do not fit \(labels.count) labels; expected (\(labels.count), classes)")
        }
        let classes = output.shape[1]
        var values = [Float](repeating: 0, count: labels.count * classes)
        for (row, label) in labels.enumerated() {
            guard label >= 0, label < classes else { throw BuiltinError("mse: label \(label) is outside 0..<\(classes)") }
            values[row * classes + label] = 1
        }
        return try Tensor(shape: output.shape, values: values)
    }
}

extension Arguments {
    /// "mean", "sum" or "none".
    func reduction(_ name: String) throws -> Reduction {
        let name = try string(name)
        guard let reduction = Reduction(rawValue: name) else {
            throw BuiltinError("\(builtin.qualifiedName): reduction must be \"mean\", \"sum\" or \"none\", got \"\(name)\"")
        }
        return reduction
    }
}
