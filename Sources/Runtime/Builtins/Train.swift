import Engine
import Foundation

extension BuiltinRegistry {
    /// `fit` (the Engine's training loop with progress, early stopping, best restore, schedules,
    /// clipping, checkpoints, resume and Ctrl-C) and the History it returns, with its plots.
    func registerTrain() {
        domain = "Train"
        function("fit", [Parameter("model"), Parameter("train"), Parameter("val", nil), Parameter("optimizer", nil),
                         Parameter("epochs", 10), Parameter("batch_size", 32), Parameter("loss", nil), Parameter("schedule", nil),
                         Parameter("early_stopping", nil), Parameter("restore_best", false), Parameter("clip_grad", nil),
                         Parameter("checkpoint", nil), Parameter("resume", nil), Parameter("monitor", nil), Parameter("seed", nil),
                         Parameter("shuffle", true), Parameter("progress", "auto"), Parameter("history_file", "history.csv"),
                         Parameter("mixup", nil), Parameter("ema", nil), Parameter("swa", nil), Parameter("on_nan", "stop"),
                         Parameter("drop_last", false), Parameter("sync_batchnorm", false)],
                 doc: "Trains `model` on `train` (a FeatureSet or `(inputs, labels)`) for `epochs` epochs in shuffled batches — zero_grad, forward, loss (cross-entropy unless `loss:`), backward, optional `clip_grad` norm, step — printing one line per epoch (a live bar on a terminal) and writing `history_file` into the run folder. `val:` adds validation loss/accuracy; `optimizer:` defaults to the notebooks' sgd(lr: 0.01, momentum: 0.8, weight_decay: 1e-3); `schedule:` is stepped per epoch (per batch for one_cycle / warmup_cosine); `early_stopping: {patience: 10, monitor: \"val_loss\"}`; `restore_best: true` ends on the best epoch's weights; checkpoints go to `checkpoints/fit-N.safetensors` in the run folder after every epoch (`serscript resume RUN_DIR` continues from them) unless `checkpoint: \"ckpt.safetensors\"` (or `{path:, every:}`) says where, or `checkpoint: false`; `resume:` continues from a checkpoint. `mixup: 0.2` blends every batch with a shuffled copy (λ ~ Beta(α, α), loss λ·L(y) + (1−λ)·L(y′)); `ema: 0.999` keeps an exponential moving average of the weights, used for validation and returned; `swa: {start: 20, lr: 0.005, anneal_epochs: 0}` (or just the start epoch) averages the weights of the epochs from `start` on and recomputes batch-norm statistics at the end. A NaN or infinite loss stops training as diverged (`on_nan: \"skip\"` leaves such batches out). `drop_last: true` skips a last batch smaller than `batch_size`, as the notebooks' loaders do. Under `mpirun -np N` training is data-parallel: `batch_size` per rank, gradients averaged over the ranks, rank 0 writes; `sync_batchnorm: true` takes batch-norm statistics over the whole global batch (docs/scale-out.md). Ctrl-C stops after the current batch and keeps the model. Returns a History.") { a in
            let model = try a.module("model")
            let train = try LabelledData(a, "train")
            let validation = a.isNil("val") ? nil : try LabelledData(a, "val")
            let optimizer = a.isNil("optimizer")
                ? try SGD(parameters: model.parameters(), learningRate: 0.01, momentum: 0.8, weightDecay: 1e-3)
                : try a.optimizer("optimizer")
            let options = try Self.fitOptions(a, classNames: train.classNames, validation: validation != nil)
            let resume = try FitRecovery.resumePath(a, "resume", policy: options.checkpoint)
            let history = try Self.withInterruptibleSIGINT {
                try Engine.fit(model, optimizer: optimizer, train: train.dataset, validation: validation?.dataset,
                               options: options, resumeFrom: resume)
            }
            FitRecovery.noteStop(history, a.interpreter.output)
            let file = try a.string("history_file")
            if !file.isEmpty, !history.epochs.isEmpty {
                try Self.writeText(history.csv, to: try RunPaths.output(file, a.interpreter))
            }
            return .object(HistoryValue(history))
        }
        registerHistory()
        function("feature_set", [Parameter("inputs"), Parameter("labels"), Parameter("classes", nil)],
                 doc: "A FeatureSet from an input tensor `(N, …)` and N integer labels (a list or tensor), with class names `classes` (default \"0\", \"1\", …): synthetic or hand-made data for `fit` and `evaluate`.") { a in
            let inputs = try a.tensor("inputs")
            let labels = try a.labels("labels")
            let names = a.isNil("classes") ? (0...(labels.max() ?? 0)).map(String.init) : try a.list("classes").map { $0.text }
            return .object(try FeatureSet(inputs: inputs, labels: labels, classNames: names))
        }
    }

    /// Everything of `fit`'s keywords that goes into the Engine's `FitOptions`.
    private static func fitOptions(_ a: Arguments, classNames: [String]?, validation: Bool) throws -> FitOptions {
        var options = FitOptions(epochs: try a.int("epochs"), batchSize: try a.int("batch_size"))
        if !a.isNil("loss") {
            let loss = try a.object("loss", as: LossValue.self, named: "loss (cross_entropy(...) or mse())")
            options.loss = loss.function
        }
        if !a.isNil("schedule") {
            options.scheduler = try a.object("schedule", as: ScheduleValue.self, named: "schedule (step_lr, cosine_lr, reduce_on_plateau, one_cycle, warmup_cosine)").scheduler
        }
        var monitorName: String? = a.isNil("monitor") ? nil : try a.string("monitor")
        if !a.isNil("early_stopping") {
            if case .int(let patience) = a["early_stopping"] {
                options.earlyStopping = try EarlyStopping(patience: patience)
            } else {
                let settings = try a.dict("early_stopping")
                for key in settings.keys where !["patience", "monitor", "min_delta"].contains(key.value.text) {
                    throw BuiltinError("fit: early_stopping has no setting \(key.value.repr); use patience, monitor, min_delta")
                }
                let patience = settings[.string("patience")].flatMap { $0.asDouble } ?? 10
                let minDelta = settings[.string("min_delta")].flatMap { $0.asDouble } ?? 0
                options.earlyStopping = try EarlyStopping(patience: Int(patience), minDelta: minDelta)
                if case .string(let name)? = settings[.string("monitor")] { monitorName = name }
            }
        }
        if let monitorName {
            guard let monitor = Monitor(rawValue: monitorName) else {
                throw BuiltinError("fit: monitor must be one of " + Monitor.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "; got \"\(monitorName)\"")
            }
            options.monitor = monitor
        }
        options.restoreBest = try a.bool("restore_best")
        if !a.isNil("clip_grad") { options.clipGradientNorm = try a.float("clip_grad") }
        options.checkpoint = try FitRecovery.policy(a, "checkpoint", classNames: classNames ?? [])
        options.onNonFiniteLoss = try FitRecovery.nonFiniteLossPolicy(a, "on_nan")
        options.seed = a.isNil("seed") ? a.interpreter.random.next() : UInt64(bitPattern: Int64(try a.int("seed")))
        options.shuffle = try a.bool("shuffle")
        // Under mpirun, data-parallel over the ranks (unless cross_validate gave each rank its own folds).
        options.communicator = Cluster.training
        options.syncBatchNorm = try a.bool("sync_batchnorm")
        options.dropLast = try a.bool("drop_last")
        if let alpha = try a.optionalDouble("mixup") { options.mixup = try Mixup(alpha: alpha) }
        if !a.isNil("ema"), !a.isNil("swa") { throw BuiltinError("fit: ema and swa exclude each other; choose one") }
        if let decay = try a.optionalDouble("ema") { options.averaging = .ema(decay: decay) }
        if !a.isNil("swa") { options.averaging = .swa(try swaSettings(a, "swa")) }
        let style = try a.string("progress")
        guard let progress = ProgressStyle(rawValue: style == "auto" ? "automatic" : style) else {
            throw BuiltinError("fit: progress must be \"auto\", \"bar\", \"lines\" or \"silent\", got \"\(style)\"")
        }
        options.progress = progress
        let write = a.interpreter.write
        options.output = ProgressOutput(isTerminal: isatty(STDOUT_FILENO) != 0) { text in
            write(text)
            fflush(stdout)
        }
        return options
    }

    /// `swa: 20` or `{start: 20, lr: 0.005, anneal_epochs: 5, anneal: "cos"}`.
    private static func swaSettings(_ a: Arguments, _ name: String) throws -> SWASettings {
        if case .int(let start) = a[name] { return SWASettings(start: start) }
        let settings = try a.dict(name)
        for key in settings.keys where !["start", "lr", "anneal_epochs", "anneal"].contains(key.value.text) {
            throw BuiltinError("fit: swa has no setting \(key.value.repr); use start, lr, anneal_epochs, anneal")
        }
        guard let start = settings[.string("start")].flatMap({ $0.asDouble }) else {
            throw BuiltinError("fit: swa needs a start epoch: swa: {start: 20, lr: 0.005}")
        }
        let annealName = settings[.string("anneal")].map { $0.text } ?? "cos"
        guard let annealing = Annealing(rawValue: annealName) else {
            throw BuiltinError("fit: swa anneal must be \"cos\" or \"linear\", got \"\(annealName)\"")
        }
        return SWASettings(start: Int(start), learningRate: settings[.string("lr")].flatMap { $0.asDouble },
                           annealEpochs: Int(settings[.string("anneal_epochs")].flatMap { $0.asDouble } ?? 0), annealing: annealing)
    }

    /// Runs `body` with Ctrl-C requesting a stop (the Engine's handler) when nothing else handles
    /// SIGINT — running a file — and puts the default action back after; the REPL keeps its own
    /// handler, which sets the same flag.
    static func withInterruptibleSIGINT<T>(_ body: () throws -> T) rethrows -> T {
        let previous = signal(SIGINT, SIG_IGN)
        let installed = previous == nil   // SIG_DFL
        if installed { Interruption.installSIGINTHandler() } else { signal(SIGINT, previous) }
        defer { if installed { signal(SIGINT, SIG_DFL) } }
        return try body()
    }

    static func writeText(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw BuiltinError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    private func registerHistory() {
        let history = { (a: Arguments) throws -> HistoryValue in try a.receiver(as: HistoryValue.self) }
        let numbers = { (values: [Double]) -> Value in .list(ListBox(values.map { .float($0) })) }
        for (name, column, what) in [("train_loss", "train_loss", "training loss"), ("train_acc", "train_acc", "training accuracy"),
                                     ("val_loss", "val_loss", "validation loss (NaN without validation data)"),
                                     ("val_acc", "val_acc", "validation accuracy (NaN without validation data)"),
                                     ("lr", "lr", "learning rate")] {
            property("History", name, doc: "The \(what) of every epoch, as a list.") { a in numbers(try history(a).column(column)) }
        }
        property("History", "epochs", doc: "The number of completed epochs.") { a in .int(try history(a).history.epochs.count) }
        property("History", "best_epoch", doc: "The epoch with the best monitored value, or nil.") { a in
            try history(a).history.bestEpoch.map { .int($0) } ?? .null
        }
        property("History", "stop_reason", doc: "Why training ended: \"completed\", \"stopped_early\", \"interrupted\" (Ctrl-C) or \"diverged\" (a NaN or infinite loss).") { a in
            .string(try history(a).history.stopReason.rawValue)
        }
        method("History", "rows", [], doc: "One record per epoch: {epoch, train_loss, train_acc, val_loss, val_acc, lr, seconds, samples_per_s}.") { a in
            .list(ListBox(try history(a).history.epochs.map { record in
                .dict(DictBox(record.columns.map { ($0.0, $0.0 == "epoch" ? .int(Int($0.1)) : .float($0.1)) }))
            }))
        }
        method("History", "csv", [], doc: "The history as CSV text (the columns of `rows()`).") { a in .string(try history(a).history.csv) }
        method("History", "plot", [Parameter("file", "loss.svg"), Parameter("metric", "loss")],
               doc: "Writes the train and validation curves of `metric` (\"loss\" or \"accuracy\") per epoch as an SVG into the run folder; returns its path.") { a in
            try Self.plotHistory(try history(a), file: try a.string("file"), metric: try a.string("metric"), a.interpreter)
        }
        function("plot_history", [Parameter("history"), Parameter("file", "loss.svg"), Parameter("metric", "loss")],
                 doc: "Writes a History's train and validation curves of `metric` (\"loss\" or \"accuracy\") per epoch as an SVG line chart into the run folder; returns its path.") { a in
            try Self.plotHistory(try a.object("history", as: HistoryValue.self, named: "History (from fit)"), file: try a.string("file"),
                                 metric: try a.string("metric"), a.interpreter)
        }
    }

    private static func plotHistory(_ history: HistoryValue, file: String, metric: String, _ interpreter: Interpreter) throws -> Value {
        .string(try interpreter.output.save(plot: try history.chart(metric), file: file))
    }
}
