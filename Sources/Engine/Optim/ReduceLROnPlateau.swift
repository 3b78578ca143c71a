import EngineFormats
import EngineTensor

/// Multiplies the learning rate by `factor` when a monitored metric has not improved for more
/// than `patience` epochs (PyTorch's `ReduceLROnPlateau`, same defaults and threshold rules).
public final class ReduceLROnPlateau: LRScheduler {
    /// Whether a lower (`.min`, e.g. a loss) or higher (`.max`, e.g. accuracy) metric is better.
    public enum Mode: String, Sendable { case min, max }
    /// Whether `threshold` is relative to the best value or absolute.
    public enum ThresholdMode: String, Sendable { case rel, abs }

    public let optimizer: any Optimizer
    public private(set) var lastEpoch = 0
    /// Direction of improvement.
    public let mode: Mode
    /// Multiplier applied on a plateau.
    public let factor: Double
    /// Epochs without improvement tolerated before reducing.
    public let patience: Int
    /// Minimum change that counts as an improvement.
    public let threshold: Double
    /// How `threshold` is applied.
    public let thresholdMode: ThresholdMode
    /// Epochs to wait after a reduction before counting bad epochs again.
    public let cooldown: Int
    /// Floor for the learning rate.
    public let minimumRate: Double
    /// Reductions smaller than this are skipped.
    public let epsilon: Double
    /// Best metric seen so far.
    public private(set) var best: Double
    /// Consecutive epochs without improvement.
    public private(set) var badEpochs = 0
    private var cooldownLeft = 0

    /// A plateau scheduler with PyTorch's defaults.
    public init(optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                minimumRate: Double = 0, epsilon: Double = 1e-8) throws {
        guard factor < 1, factor >= 0 else { throw TensorError(op: "ReduceLROnPlateau", reason: "factor must be in [0, 1), got \(factor)") }
        guard patience >= 0, cooldown >= 0 else { throw TensorError(op: "ReduceLROnPlateau", reason: "patience and cooldown must be ≥ 0") }
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimumRate = minimumRate
        self.epsilon = epsilon
        best = mode == .min ? .infinity : -.infinity
    }

    /// Records this epoch's `metric` (required) and reduces the rate on a plateau.
    public func step(metric: Double?) throws {
        guard let metric else { throw TensorError(op: "ReduceLROnPlateau", reason: "step needs the monitored metric") }
        lastEpoch += 1
        if isImprovement(metric) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            let old = Double(optimizer.learningRate)
            let new = Swift.max(old * factor, minimumRate)
            if old - new > epsilon { optimizer.learningRate = Float(new) }
            cooldownLeft = cooldown
            badEpochs = 0
        }
    }

    private func isImprovement(_ value: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): return value < best * (1 - threshold)
        case (.min, .abs): return value < best - threshold
        case (.max, .rel): return value > best * (1 + threshold)
        case (.max, .abs): return value > best + threshold
        }
    }
}
