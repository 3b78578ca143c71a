import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Where `fit` steps its learning-rate schedule: after every epoch, or after every optimizer step
/// for `.batch` schedules (one-cycle, warm-up + cosine), whose length `fit` fills in.
extension TrainingRun {
    /// Gives a stepwise schedule its length: epochs × batches per epoch.
    func planSchedule() throws {
        guard let stepwise = options.scheduler as? any StepwiseLRScheduler else { return }
        do { try stepwise.plan(totalSteps: options.epochs * loader.batchesPerEpoch) } catch {
            throw TrainError("schedule: \(error) (\(options.epochs) epochs × \(loader.batchesPerEpoch) batches)")
        }
    }

    /// After each optimizer step (not while SWA sets the rate).
    func stepScheduleAfterBatch(epoch: Int) throws {
        guard !swaDrivesRate(inEpoch: epoch) else { return }
        if let scheduler = options.scheduler, scheduler.interval == .batch { try scheduler.step(metric: nil) }
    }

    /// After each completed epoch, with the monitored value (not while SWA sets the rate).
    func stepScheduleAfterEpoch(_ epoch: Int, metric: Double) throws {
        guard !swaDrivesRate(inEpoch: epoch) else { return }
        if let scheduler = options.scheduler, scheduler.interval == .epoch { try scheduler.step(metric: metric) }
    }

    /// Replays one restored epoch on resume, so the schedule's own state is right.
    package func replaySchedule(epochMetric metric: Double) throws {
        guard let scheduler = options.scheduler else { return }
        switch scheduler.interval {
        case .epoch: try scheduler.step(metric: metric)
        case .batch: for _ in 0..<loader.batchesPerEpoch { try scheduler.step(metric: nil) }
        }
    }
}
