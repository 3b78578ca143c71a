import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// A running average of a model's parameters (PyTorch's `torch.optim.swa_utils.AveragedModel`
/// without `use_buffers`): the first `update` copies the parameters, later ones blend them in —
/// an exponential moving average `avg ← decay·avg + (1 − decay)·p`, or the plain mean of every
/// snapshot so far `avg ← avg + (p − avg)/(n + 1)` (SWA). Buffers (batch-norm running statistics)
/// are not averaged: the model keeps its own, and SWA recomputes them with `updateBatchNorm`.
public final class AveragedModel {
    /// How new snapshots enter the average.
    public enum Kind: Sendable, Equatable {
        /// Exponential moving average with this decay (e.g. 0.999).
        case ema(decay: Double)
        /// The mean of all snapshots (stochastic weight averaging).
        case mean
    }

    /// The averaging rule.
    public let kind: Kind
    /// Snapshots averaged so far (PyTorch's `n_averaged`).
    public private(set) var count = 0
    private var averages: [String: StoredTensor] = [:]

    /// An empty average; `ema` decays must lie in [0, 1].
    public init(_ kind: Kind) throws {
        if case .ema(let decay) = kind, !(decay >= 0 && decay <= 1) {
            throw TrainError("ema decay must be in [0, 1], got \(decay)")
        }
        self.kind = kind
    }

    /// Blends the model's current parameters into the average.
    public func update(from model: Module) {
        let weight: Float
        switch kind {
        case .ema(let decay): weight = Float(1 - decay)
        case .mean: weight = 1 / Float(count + 1)
        }
        for (name, parameter) in model.namedParameters() {
            let current = parameter.values
            guard count > 0, var average = averages[name] else {
                averages[name] = StoredTensor(shape: parameter.shape, values: current)
                continue
            }
            for i in average.values.indices { average.values[i] += weight * (current[i] - average.values[i]) }
            averages[name] = average
        }
        count += 1
    }

    /// The averaged parameters by state-dict key (empty before the first update).
    public var parameters: [String: StoredTensor] { averages }

    /// Writes the averaged parameters into `model` (its buffers stay as they are).
    public func copy(into model: Module) throws {
        guard count > 0 else { throw TrainError("the weight average is empty: update it at least once first") }
        try model.loadStateDict(averages, strict: false)
    }
}
