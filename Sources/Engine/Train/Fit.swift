import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Trains `model` on `train` with `optimizer` for `options.epochs` epochs, the notebooks' loop:
/// per batch zero the gradients, forward, loss, backward, (clip), step. After every epoch it
/// measures the validation set (eval mode, no graph), prints one line, appends the run folder's
/// history, steps the LR schedule with the monitored value, applies early stopping and writes
/// checkpoints. Ctrl-C (`Interruption`) stops after the running batch and keeps the model.
///
/// With `resumeFrom`, training continues from a checkpoint written by `fit`: weights, optimizer
/// state, history, schedule and early-stopping state are restored and the epoch count goes on,
/// so (with the same options) the result equals an uninterrupted run bit for bit.
@discardableResult
public func fit(_ model: Module, optimizer: any Optimizer, train: TensorDataset, validation: TensorDataset? = nil,
                options: FitOptions, resumeFrom checkpointPath: String? = nil) throws -> History {
    let run = try TrainingRun(model: model, optimizer: optimizer, train: train, validation: validation, options: options)
    if let checkpointPath { try run.resume(from: checkpointPath) }
    return try run.run()
}

/// The state of one `fit` call.
final class TrainingRun {
    let model: Module
    let optimizer: any Optimizer
    let loader: BatchLoader
    let validation: TensorDataset?
    let options: FitOptions
    let monitor: Monitor
    let reporter: ProgressReporter
    var history = History()
    var tracker: ImprovementTracker
    /// Weights of the best epoch so far (with `restoreBest`), and whether the best file lags behind.
    var bestState: [String: StoredTensor]?
    var bestStateUnsaved = false
    var lastSavedEpoch = 0
    /// EMA / SWA state, when `options.averaging` asks for it.
    let averaging: AveragingState?
    /// The ranks training together under mpirun (see `DataParallel`), nil on one process.
    let parallel: DataParallel?

    init(model: Module, optimizer: any Optimizer, train: TensorDataset, validation: TensorDataset?,
         options: FitOptions) throws {
        guard options.epochs >= 1 else { throw TrainError("epochs must be at least 1, got \(options.epochs)") }
        if let validation, validation.sampleShape != train.sampleShape {
            throw TrainError("validation examples have shape \(validation.sampleShape) but training examples \(train.sampleShape)")
        }
        if let every = options.checkpoint?.every, every < 1 {
            throw TrainError("checkpoints every \(every) epochs: must be at least 1")
        }
        let monitor = options.monitor ?? (validation == nil ? .trainLoss : .validationLoss)
        if monitor.needsValidation && validation == nil {
            throw TrainError("monitoring \(monitor.rawValue) needs validation data; pass validation or monitor train_loss")
        }
        self.model = model
        self.optimizer = optimizer
        var options = options
        parallel = try DataParallel.forTraining(model: model, optimizer: optimizer, train: train, options: &options)
        // Under data parallelism the loader yields global batches, which `parallel` shards.
        self.loader = try BatchLoader(train, batchSize: options.batchSize * (parallel?.communicator.size ?? 1),
                                      shuffle: options.shuffle, dropLast: options.dropLast, seed: options.seed)
        self.validation = validation
        self.options = options
        self.monitor = monitor
        self.reporter = ProgressReporter(style: options.progress, output: options.output, totalEpochs: options.epochs)
        tracker = ImprovementTracker(lowerIsBetter: monitor.lowerIsBetter, minDelta: options.earlyStopping?.minDelta ?? 0)
        averaging = try options.averaging.map { try AveragingState($0, epochs: options.epochs, options: options) }
        try planSchedule()
    }

    func run() throws -> History {
        var epoch = history.lastEpoch + 1
        while epoch <= options.epochs && !history.stoppedEarly {
            guard let record = try trainEpoch(epoch) else {
                if let diverged = history.divergedAt {
                    history.stopReason = .diverged
                    let kept = history.epochs.isEmpty ? "No epoch completed."
                        : "The history keeps epochs 1-\(history.lastEpoch)\(options.checkpoint == nil ? "" : ", the checkpoint their weights")."
                    reporter.line("Training diverged: \(diverged.summary); stopping. \(kept)")
                    break
                }
                history.stopReason = .interrupted
                let point = history.interruptedAt.map { " after \($0.batches)/\(loader.batchesPerEpoch) batches" } ?? ""
                reporter.line("Interrupted during epoch \(epoch)\(point); keeping the model as it is.")
                break
            }
            try finishEpoch(record)
            if let stopping = options.earlyStopping, tracker.shouldStop(stopping) {
                history.stopReason = .stoppedEarly
                reporter.line("Early stopping: \(monitor.rawValue) has not improved for \(tracker.epochsWithoutImprovement) "
                              + "epochs (best \(tracker.best ?? .nan) at epoch \(tracker.bestEpoch ?? 0)).")
                break
            }
            epoch += 1
        }
        try finishAveraging()
        // The weights of an interrupted run are part-way through an epoch: never saved as the last one.
        if history.lastEpoch > lastSavedEpoch && !history.stoppedMidEpoch { try saveCheckpoint() }
        try restoreBestIfAsked()
        return history
    }

    /// One pass over the training batches; nil when interrupted or diverged (the partial epoch is not recorded).
    private func trainEpoch(_ epoch: Int) throws -> EpochRecord? {
        try averagingBeforeEpoch(epoch)
        // Each rank draws its own dropout masks (rank 0 those of a single process).
        model.reseedStochasticLayers(seed: options.seed &+ UInt64(parallel?.rank ?? 0), epoch: epoch)
        model.train()
        let learningRate = Double(optimizer.learningRate)
        let start = monotonicSeconds()
        var lossSum = 0.0, correct = 0.0, seen = 0, done = 0, skipped = 0, localSeen = 0
        let mixing = options.mixup.map { ($0, Mixup.generator(seed: options.seed, epoch: epoch)) }
        for global in loader.batches(epoch: epoch) {
            model.zeroGrad()
            let batch = parallel?.shard(global) ?? global
            let mixed = try mixing.map { try $0.0.mix(batch, generator: $0.1) } ?? MixedBatch(unmixed: batch)
            let logits = try model(mixed.features)
            let loss = try mixed.loss(logits, options.loss)
            let lossValue = try parallel?.meanLoss(Double(try loss.item()), count: batch.labels.count)
                ?? Double(try loss.item())
            guard lossValue.isFinite else {
                done += 1
                if options.onNonFiniteLoss == .skip {
                    skipped += 1
                    continue
                }
                history.divergedAt = DivergencePoint(epoch: epoch, batch: done, batches: loader.batchesPerEpoch, loss: lossValue)
                return nil
            }
            try loss.backward(onLeafGradient: parallel?.gradientReady)
            try parallel?.averageGradients()
            if let maxNorm = options.clipGradientNorm {
                try GradientClipping.clipNorm(optimizer.parameters, maxNorm: maxNorm)
            }
            try optimizer.step()
            averagingAfterStep()
            try stepScheduleAfterBatch(epoch: epoch)
            lossSum += lossValue * Double(global.labels.count)
            correct += mixed.correct(try Logits.argmax(logits))
            seen += global.labels.count
            localSeen += batch.labels.count
            done += 1
            reporter.batchDone(epoch: epoch, batch: done, of: loader.batchesPerEpoch, loss: lossSum / Double(seen),
                               accuracy: correct / Double(localSeen), samples: seen, elapsed: monotonicSeconds() - start)
            if try parallel?.communicator.anyRank(Interruption.consume()) ?? Interruption.consume() {
                history.interruptedAt = InterruptionPoint(epoch: epoch, batches: done)
                return nil
            }
        }
        if skipped > 0 {
            guard seen > 0 else {
                history.divergedAt = DivergencePoint(epoch: epoch, batch: done, batches: done, loss: .nan)
                return nil
            }
            reporter.line("Epoch \(epoch): left out \(skipped) of \(done) batches whose loss was not finite.")
        }
        if let parallel {
            correct = try parallel.communicator.sum([correct])[0]
            try parallel.broadcastBuffers()
        }
        let trainSeconds = monotonicSeconds() - start
        try averagingAfterEpoch(epoch)
        if let validation { reporter.validationStarted(epoch: epoch, samples: validation.count) }
        let checked = try validation.map {
            try InferencePass(model: model, data: $0, batchSize: options.evaluationBatchSize ?? options.batchSize,
                              loss: options.loss, keepProbabilities: false)
        }
        return EpochRecord(epoch: epoch, trainLoss: lossSum / Double(seen), trainAccuracy: correct / Double(seen),
                           validationLoss: checked?.meanLoss, validationAccuracy: checked?.accuracy,
                           learningRate: learningRate, seconds: monotonicSeconds() - start,
                           samplesPerSecond: trainSeconds > 0 ? Double(seen) / trainSeconds : 0)
    }

    /// Bookkeeping after a completed epoch: best value, line, history, hook, schedule, checkpoint.
    private func finishEpoch(_ record: EpochRecord) throws {
        history.epochs.append(record)
        let value = monitor.value(in: record) ?? .nan
        let improved = tracker.record(value, epoch: record.epoch)
        if improved {
            history.bestEpoch = record.epoch
            if options.restoreBest {
                bestState = model.stateDict()
                bestStateUnsaved = true
            }
        }
        let watching = options.restoreBest || options.earlyStopping != nil
        reporter.epochDone(record, note: improved && watching ? "(best \(monitor.rawValue))" : "")
        try options.runFolder?.appendHistory(record.columns)
        try options.onEpochEnd?(record, model)
        try stepScheduleAfterEpoch(record.epoch, metric: value)
        if let every = options.checkpoint?.every, record.epoch % every == 0 { try saveCheckpoint() }
    }

    /// Loads the best epoch's weights when asked and they differ from the current ones.
    private func restoreBestIfAsked() throws {
        guard options.restoreBest, let best = bestState, let bestEpoch = tracker.bestEpoch else { return }
        guard bestEpoch != history.lastEpoch || history.stoppedMidEpoch else { return }
        try model.loadStateDict(best)
        reporter.line("Restored the weights of epoch \(bestEpoch) (\(monitor.rawValue) \(tracker.best ?? .nan)).")
    }
}
