import Engine

extension BuiltinRegistry {
    /// Schedules stepped after every batch: one-cycle and linear warm-up + cosine.
    func registerBatchSchedules() {
        function("one_cycle", [Parameter("optimizer"), Parameter("max_lr"), Parameter("total_steps", nil), Parameter("pct_start", 0.3),
                               Parameter("anneal", "cos"), Parameter("div_factor", 25.0), Parameter("final_div_factor", 1e4),
                               Parameter("three_phase", false)],
                 doc: "The one-cycle policy (PyTorch `OneCycleLR`, same defaults; momentum not cycled), stepped after every batch: the learning rate starts at `max_lr / div_factor`, rises to `max_lr` over the first `pct_start` of the steps, then anneals (`anneal` \"cos\" or \"linear\") to `initial / final_div_factor`. Pass it to `fit(schedule:)`, which sets `total_steps` to epochs × batches per epoch, or give `total_steps` and call `.step()` after each optimizer step.") { a in
            let annealName = try a.string("anneal")
            guard let annealing = Annealing(rawValue: annealName) else {
                throw BuiltinError("one_cycle: anneal must be \"cos\" or \"linear\", got \"\(annealName)\"")
            }
            return .object(ScheduleValue(try OneCycleLR(optimizer: try a.optimizer("optimizer"), maxRate: try a.double("max_lr"),
                                                        totalSteps: a.isNil("total_steps") ? nil : try a.int("total_steps"), pctStart: try a.double("pct_start"),
                                                        annealing: annealing, divFactor: try a.double("div_factor"),
                                                        finalDivFactor: try a.double("final_div_factor"), threePhase: try a.bool("three_phase")),
                                         name: "one_cycle"))
        }
        function("warmup_cosine", [Parameter("optimizer"), Parameter("warmup", 0.05), Parameter("total_steps", nil),
                                   Parameter("start_factor", 0.01), Parameter("eta_min", 0.0)],
                 doc: "Linear warm-up then cosine decay, stepped after every batch: from `start_factor` × the optimizer's rate up to that rate over `warmup` steps (an int) or that fraction of all steps (a float below 1), then half a cosine down to `eta_min` (PyTorch `LinearLR` then `CosineAnnealingLR` in a `SequentialLR`). `fit(schedule:)` sets `total_steps` to epochs × batches per epoch.") { a in
            let warmup: WarmupCosineLR.Warmup
            switch a["warmup"] {
            case .int(let steps): warmup = .steps(steps)
            case .float(let fraction): warmup = .fraction(fraction)
            default: throw BuiltinError("warmup_cosine: warmup must be a step count (int) or a fraction of all steps (float), got \(a["warmup"].typeName)")
            }
            return .object(ScheduleValue(try WarmupCosineLR(optimizer: try a.optimizer("optimizer"), warmup: warmup,
                                                            totalSteps: a.isNil("total_steps") ? nil : try a.int("total_steps"),
                                                            startFactor: try a.double("start_factor"), minimumRate: try a.double("eta_min")),
                                         name: "warmup_cosine"))
        }
    }
}
