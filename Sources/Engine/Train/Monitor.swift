import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio

/// The per-epoch value that early stopping, best-model restore and `ReduceLROnPlateau` watch.
public enum Monitor: String, Sendable, CaseIterable {
    /// Validation loss (lower is better).
    case validationLoss = "val_loss"
    /// Validation accuracy (higher is better).
    case validationAccuracy = "val_acc"
    /// Mean training loss of the epoch (lower is better).
    case trainLoss = "train_loss"
    /// Training accuracy of the epoch (higher is better).
    case trainAccuracy = "train_acc"

    /// Whether a smaller value is better (losses) or a larger one (accuracies).
    public var lowerIsBetter: Bool { self == .validationLoss || self == .trainLoss }

    /// Whether the value needs a validation set.
    public var needsValidation: Bool { self == .validationLoss || self == .validationAccuracy }

    /// The monitored value in `record` (nil when it needs validation the run did not have).
    public func value(in record: EpochRecord) -> Double? {
        switch self {
        case .validationLoss: return record.validationLoss
        case .validationAccuracy: return record.validationAccuracy
        case .trainLoss: return record.trainLoss
        case .trainAccuracy: return record.trainAccuracy
        }
    }
}

/// Stop training once the monitored value has not improved by more than `minDelta` for
/// `patience` consecutive epochs (Keras' and Lightning's rule: best at epoch b ⇒ stop after
/// epoch b + patience).
public struct EarlyStopping: Sendable, Equatable {
    /// Epochs without improvement tolerated.
    public var patience: Int
    /// Smallest change that counts as an improvement.
    public var minDelta: Double

    /// Early stopping with `patience` epochs; throws when it is negative.
    public init(patience: Int, minDelta: Double = 0) throws {
        guard patience >= 0, minDelta >= 0 else {
            throw TrainError("early stopping needs patience ≥ 0 and min delta ≥ 0 (got \(patience), \(minDelta))")
        }
        self.patience = patience
        self.minDelta = minDelta
    }
}

/// Follows a monitored value epoch by epoch: the best so far, when it was reached, and how long
/// ago.
public struct ImprovementTracker: Sendable, Equatable {
    /// Whether smaller values are better.
    public let lowerIsBetter: Bool
    /// Smallest change that counts as an improvement.
    public let minDelta: Double
    /// Best value seen.
    public private(set) var best: Double?
    /// Epoch of the best value.
    public private(set) var bestEpoch: Int?
    /// Epochs since the best value.
    public private(set) var epochsWithoutImprovement = 0

    /// A tracker with no values yet.
    public init(lowerIsBetter: Bool, minDelta: Double = 0) {
        self.lowerIsBetter = lowerIsBetter
        self.minDelta = minDelta
    }

    /// Records `value` of `epoch`; returns whether it is a new best. NaN never improves.
    @discardableResult
    public mutating func record(_ value: Double, epoch: Int) -> Bool {
        let improved: Bool
        if let best {
            improved = lowerIsBetter ? value < best - minDelta : value > best + minDelta
        } else {
            improved = !value.isNaN
        }
        if improved {
            best = value
            bestEpoch = epoch
            epochsWithoutImprovement = 0
        } else {
            epochsWithoutImprovement += 1
        }
        return improved
    }

    /// Whether `stopping` says to stop now (patience 0 stops at the first epoch without improvement).
    public func shouldStop(_ stopping: EarlyStopping) -> Bool {
        epochsWithoutImprovement >= Swift.max(1, stopping.patience)
    }
}
