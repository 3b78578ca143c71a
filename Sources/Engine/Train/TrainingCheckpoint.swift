import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Writing and resuming `fit` checkpoints.
extension TrainingRun {
    /// Writes the checkpoint for the last completed epoch (and the best weights when they changed).
    func saveCheckpoint() throws {
        guard let policy = options.checkpoint else { return }
        var extra = policy.extra
        extra["history"] = history.csv
        extra["seed"] = String(options.seed)
        let checkpoint = Checkpoint(weights: model.stateDict(), optimizerState: optimizer.state().mapValues(\.stored),
                                    epoch: history.lastEpoch, scaler: policy.scaler, classNames: policy.classNames,
                                    extra: extra)
        try checkpoint.write(path: policy.path)
        if bestStateUnsaved, let best = bestState {
            try Checkpoint(weights: best, epoch: tracker.bestEpoch ?? 0, classNames: policy.classNames)
                .write(path: policy.bestPath)
            bestStateUnsaved = false
        }
        lastSavedEpoch = history.lastEpoch
    }

    /// Restores weights, optimizer state, history, schedule and early-stopping state from `path`.
    func resume(from path: String) throws {
        if averaging != nil {
            throw TrainError("\(path): resuming with ema or swa is not supported (checkpoints hold the averaged weights, not the trained ones)")
        }
        let checkpoint = try Checkpoint.read(path: path)
        guard let historyText = checkpoint.extra["history"] else {
            throw TrainError("\(path): no training history in the checkpoint; only checkpoints written by fit can be resumed")
        }
        let restored: History
        do { restored = try History(csv: historyText) } catch {
            throw TrainError("\(path): training history is unreadable: \(error)")
        }
        guard restored.lastEpoch == checkpoint.epoch else {
            throw TrainError("\(path): checkpoint is at epoch \(checkpoint.epoch) but its history ends at \(restored.lastEpoch)")
        }
        if let names = options.checkpoint?.classNames, !names.isEmpty, !checkpoint.classNames.isEmpty,
           names != checkpoint.classNames {
            throw TrainError("\(path): checkpoint classes \(checkpoint.classNames) differ from \(names)")
        }
        if let seed = checkpoint.extra["seed"], seed != String(options.seed) {
            reporter.line("Note: \(path) was trained with seed \(seed), continuing with seed \(options.seed).")
        }
        do {
            try model.loadStateDict(checkpoint.weights)
        } catch {
            throw TrainError("\(path): \(error)")
        }
        for record in restored.epochs {
            let value = monitor.value(in: record) ?? .nan
            tracker.record(value, epoch: record.epoch)
            try replaySchedule(epochMetric: value)
        }
        try optimizer.loadState(checkpoint.optimizerState.mapValues { try Tensor($0) })
        history = restored
        history.bestEpoch = tracker.bestEpoch
        // A run that had already stopped early stays stopped (the loop does not train again).
        if let stopping = options.earlyStopping, tracker.shouldStop(stopping) { history.stopReason = .stoppedEarly }
        lastSavedEpoch = restored.lastEpoch
        if options.restoreBest {
            try loadBestState(besideCheckpoint: path)
            bestStateUnsaved = options.checkpoint.map { $0.bestPath != CheckpointPolicy.bestPath(for: path) } ?? false
        }
        reporter.line("Resumed from \(path) after epoch \(restored.lastEpoch).")
    }

    /// The best weights kept beside a checkpoint, or the current ones when the last epoch was best.
    private func loadBestState(besideCheckpoint path: String) throws {
        guard let bestEpoch = tracker.bestEpoch else { return }
        if bestEpoch == history.lastEpoch {
            bestState = model.stateDict()
            return
        }
        let bestPath = CheckpointPolicy.bestPath(for: path)
        let best = try Checkpoint.read(path: bestPath)
        guard best.epoch == bestEpoch else {
            throw TrainError("\(bestPath) holds epoch \(best.epoch) but the history's best epoch is \(bestEpoch)")
        }
        bestState = best.weights
    }
}
