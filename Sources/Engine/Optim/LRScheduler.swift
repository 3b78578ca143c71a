import Foundation
import EngineTensor

/// When a schedule is stepped: after every epoch, or after every optimizer step (batch).
public enum ScheduleInterval: String, Sendable {
    case epoch, batch
}

/// Changes an optimizer's learning rate, PyTorch style: build it after the optimizer, call
/// `step()` after each epoch (`step(metric:)` for `ReduceLROnPlateau`) — or, for schedules whose
/// `interval` is `.batch` (one-cycle, warm-up + cosine), after each optimizer step.
public protocol LRScheduler: AnyObject {
    /// The optimizer whose learning rate is driven.
    var optimizer: any Optimizer { get }
    /// Epochs (or, for `.batch` schedules, optimizer steps) stepped so far (0 right after construction).
    var lastEpoch: Int { get }
    /// Whether `fit` steps this schedule after every epoch or after every batch.
    var interval: ScheduleInterval { get }
    /// Advances one epoch (or step); `metric` is the monitored value (only `ReduceLROnPlateau` needs it).
    func step(metric: Double?) throws
}

extension LRScheduler {
    /// Advances one epoch without a metric.
    public func step() throws { try step(metric: nil) }

    /// Epoch schedules unless they say otherwise.
    public var interval: ScheduleInterval { .epoch }
}

/// Multiplies the learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`).
public final class StepLR: LRScheduler {
    public let optimizer: any Optimizer
    public private(set) var lastEpoch = 0
    /// Epochs between decays.
    public let stepSize: Int
    /// Decay factor.
    public let gamma: Double
    private var rate: Double

    /// A step schedule starting from the optimizer's current learning rate.
    public init(optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize > 0 else { throw TensorError(op: "StepLR", reason: "step size must be positive, got \(stepSize)") }
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
        rate = Double(optimizer.learningRate)
    }

    public func step(metric: Double? = nil) {
        lastEpoch += 1
        if lastEpoch % stepSize == 0 { rate *= gamma }
        optimizer.learningRate = Float(rate)
    }
}

/// Cosine annealing from the initial rate down to `minimumRate` over `tMax` epochs, then back
/// up (PyTorch's `CosineAnnealingLR`, with its recursive update in double precision):
/// `lr(t) = η_min + (η₀ − η_min)·(1 + cos(πt/T_max))/2`.
public final class CosineAnnealingLR: LRScheduler {
    public let optimizer: any Optimizer
    public private(set) var lastEpoch = 0
    /// Half-period in epochs.
    public let tMax: Int
    /// The rate at the bottom of the cosine (`eta_min`).
    public let minimumRate: Double
    private let baseRate: Double
    private var rate: Double

    /// A cosine schedule starting from the optimizer's current learning rate.
    public init(optimizer: any Optimizer, tMax: Int, minimumRate: Double = 0) throws {
        guard tMax > 0 else { throw TensorError(op: "CosineAnnealingLR", reason: "T_max must be positive, got \(tMax)") }
        self.optimizer = optimizer
        self.tMax = tMax
        self.minimumRate = minimumRate
        baseRate = Double(optimizer.learningRate)
        rate = baseRate
    }

    public func step(metric: Double? = nil) {
        lastEpoch += 1
        let t = Double(lastEpoch), period = Double(tMax)
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            rate += (baseRate - minimumRate) * (1 - Foundation.cos(Double.pi / period)) / 2
        } else {
            rate = (1 + Foundation.cos(Double.pi * t / period)) / (1 + Foundation.cos(Double.pi * (t - 1) / period))
                * (rate - minimumRate) + minimumRate
        }
        optimizer.learningRate = Float(rate)
    }
}
