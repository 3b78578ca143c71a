import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Averaging of weights during `fit`.
public enum WeightAveraging {
    /// An exponential moving average of the parameters, updated after every optimizer step;
    /// validation, best-epoch restore and the returned model use the averaged parameters with the
    /// trained model's own batch-norm running statistics.
    case ema(decay: Double)
    /// Stochastic weight averaging (Izmailov et al. 2018): the mean of the weights at the end of
    /// every epoch from `start` on; the returned model holds the mean, with batch-norm statistics
    /// recomputed by a pass over the training data (`updateBatchNorm`).
    case swa(SWASettings)
}

/// When SWA starts and what learning rate it trains with.
public struct SWASettings: Sendable, Equatable {
    /// First epoch (1-based) whose final weights enter the average.
    public var start: Int
    /// The rate from epoch `start` on (PyTorch's `SWALR` `swa_lr`); nil keeps the schedule going.
    public var learningRate: Double?
    /// SWA epochs over which the rate moves from its value at `start` to `learningRate` (0 = at once).
    public var annealEpochs: Int
    /// Shape of that move.
    public var annealing: Annealing

    /// SWA from epoch `start`.
    public init(start: Int, learningRate: Double? = nil, annealEpochs: Int = 0, annealing: Annealing = .cos) {
        self.start = start
        self.learningRate = learningRate
        self.annealEpochs = annealEpochs
        self.annealing = annealing
    }

    /// The rate of SWA epoch `index` (0 for epoch `start`) moving from `initial` to the SWA rate.
    package func rate(swaEpoch index: Int, from initial: Double) -> Double? {
        guard let learningRate else { return nil }
        guard annealEpochs > 0 else { return learningRate }
        let fraction = min(1, Double(index + 1) / Double(annealEpochs))
        return annealing.rate(from: initial, to: learningRate, fraction: fraction)
    }
}

/// The averaging state of one `fit` call: the average, and the live weights while the average
/// sits in the model for validation.
final class AveragingState {
    let rule: WeightAveraging
    let average: AveragedModel
    /// The trained (not averaged) parameters while the model holds the average.
    var live: [String: StoredTensor]?
    /// The rate when SWA began (start of its annealing).
    var swaInitialRate: Double?

    init(_ rule: WeightAveraging, epochs: Int, options: FitOptions) throws {
        self.rule = rule
        switch rule {
        case .ema(let decay):
            average = try AveragedModel(.ema(decay: decay))
        case .swa(let settings):
            guard settings.start >= 1, settings.start <= epochs else {
                throw TrainError("swa start must be an epoch in 1…\(epochs), got \(settings.start)")
            }
            guard settings.annealEpochs >= 0 else { throw TrainError("swa anneal_epochs must be ≥ 0, got \(settings.annealEpochs)") }
            if let rate = settings.learningRate, !(rate > 0) { throw TrainError("swa lr must be positive, got \(rate)") }
            if options.restoreBest {
                throw TrainError("restore_best and swa exclude each other: SWA's model is the mean of the last epochs")
            }
            average = try AveragedModel(.mean)
        }
    }

    /// The SWA settings when SWA is on and has reached `epoch`.
    package func swa(atEpoch epoch: Int) -> SWASettings? {
        guard case .swa(let settings) = rule, epoch >= settings.start else { return nil }
        return settings
    }
}

/// The hooks `fit` calls for weight averaging.
extension TrainingRun {
    /// Before an epoch's batches: the trained weights back into the model, the SWA rate set.
    func averagingBeforeEpoch(_ epoch: Int) throws {
        guard let averaging else { return }
        if let live = averaging.live {
            try model.loadStateDict(live, strict: false)
            averaging.live = nil
        }
        if let settings = averaging.swa(atEpoch: epoch) {
            let initial = averaging.swaInitialRate ?? Double(optimizer.learningRate)
            averaging.swaInitialRate = initial
            if let rate = settings.rate(swaEpoch: epoch - settings.start, from: initial) { optimizer.learningRate = Float(rate) }
        }
    }

    /// After every optimizer step: the EMA moves.
    func averagingAfterStep() {
        guard let averaging, case .ema = averaging.rule else { return }
        averaging.average.update(from: model)
    }

    /// After an epoch's batches, before validation: SWA takes its snapshot; with EMA the model
    /// holds the average until the next epoch starts (validation, best restore and checkpoints see it).
    func averagingAfterEpoch(_ epoch: Int) throws {
        guard let averaging else { return }
        switch averaging.rule {
        case .ema: try swapInAverage(averaging)
        case .swa: if averaging.swa(atEpoch: epoch) != nil { averaging.average.update(from: model) }
        }
    }

    /// Whether the regular schedule is paused because SWA drives the rate in `epoch`.
    func swaDrivesRate(inEpoch epoch: Int) -> Bool {
        averaging?.swa(atEpoch: epoch)?.learningRate != nil
    }

    /// When training ends: the model takes the average for good (SWA: with recomputed batch-norm
    /// statistics and one more validation pass, printed).
    func finishAveraging() throws {
        guard let averaging, averaging.average.count > 0 else { return }
        switch averaging.rule {
        case .ema:
            if averaging.live == nil { try swapInAverage(averaging) }
            averaging.live = nil
            reporter.line("The model holds the exponential moving average of its weights (\(averaging.average.count) steps).")
        case .swa(let settings):
            try averaging.average.copy(into: model)
            try model.updateBatchNorm(loader.dataset, batchSize: options.batchSize)
            let last = settings.start + averaging.average.count - 1
            var line = "The model holds the SWA mean of epochs \(settings.start)–\(last)"
                + (model.namedModules().contains { $0.module is BatchNormLayer } ? ", batch-norm statistics recomputed" : "")
            if let validation {
                let pass = try InferencePass(model: model, data: validation, batchSize: options.evaluationBatchSize ?? options.batchSize,
                                             loss: options.loss, keepProbabilities: false)
                line += String(format: ": val_loss %.4f, val_acc %.4f", pass.meanLoss, pass.accuracy)
            }
            reporter.line(line + ".")
        }
    }

    private func swapInAverage(_ averaging: AveragingState) throws {
        guard averaging.average.count > 0, averaging.live == nil else { return }
        averaging.live = model.stateDict().filter { key, _ in averaging.average.parameters[key] != nil }
        try averaging.average.copy(into: model)
    }
}
