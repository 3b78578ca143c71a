import Foundation
import EngineFormats
import EngineTensor

/// A schedule stepped after every optimizer step whose length may be left open at construction:
/// `fit` then fills it in as epochs × batches per epoch before training.
public protocol StepwiseLRScheduler: LRScheduler {
    /// Optimizer steps the schedule spans, once known.
    var totalSteps: Int? { get }
    /// Fixes the length to `steps` when none was given; when one was, throws if `steps` exceeds it.
    func plan(totalSteps steps: Int) throws
}

/// How one phase of a schedule moves from its start to its end rate.
public enum Annealing: String, Sendable {
    /// Half a cosine: `end + (start − end)·(1 + cos(π·pct))/2`.
    case cos
    /// A straight line: `start + (end − start)·pct`.
    case linear

    package func rate(from start: Double, to end: Double, fraction pct: Double) -> Double {
        switch self {
        case .cos: return end + (start - end) / 2 * (Foundation.cos(Double.pi * pct) + 1)
        case .linear: return (end - start) * pct + start
        }
    }
}

/// The one-cycle policy (Smith & Topin 2019) with PyTorch's `OneCycleLR` semantics and defaults:
/// the rate starts at `maxRate / divFactor`, rises to `maxRate` over the first `pctStart` of the
/// steps, then anneals to `initial / finalDivFactor`; with `threePhase` it first comes back down to
/// the initial rate (symmetrically) before the final descent. Stepped once per batch. Momentum is
/// not cycled (PyTorch's `cycle_momentum=False`).
public final class OneCycleLR: StepwiseLRScheduler {
    public let optimizer: any Optimizer
    public private(set) var lastEpoch = 0
    public var interval: ScheduleInterval { .batch }
    public private(set) var totalSteps: Int?
    /// The peak learning rate.
    public let maxRate: Double
    /// Fraction of the steps spent rising to the peak.
    public let pctStart: Double
    /// Shape of each phase.
    public let annealing: Annealing
    /// `initial rate = maxRate / divFactor`.
    public let divFactor: Double
    /// `final rate = initial rate / finalDivFactor`.
    public let finalDivFactor: Double
    /// Whether the rate returns to the initial value before the final descent.
    public let threePhase: Bool

    /// A one-cycle schedule; `totalSteps` nil leaves it to `fit`. Sets the optimizer's rate to the initial one.
    public init(optimizer: any Optimizer, maxRate: Double, totalSteps: Int? = nil, pctStart: Double = 0.3,
                annealing: Annealing = .cos, divFactor: Double = 25, finalDivFactor: Double = 1e4,
                threePhase: Bool = false) throws {
        guard maxRate > 0, maxRate.isFinite else { throw Self.error("max_lr must be positive, got \(maxRate)") }
        guard pctStart >= 0, pctStart <= 1 else { throw Self.error("pct_start must be in [0, 1], got \(pctStart)") }
        guard divFactor > 0, finalDivFactor > 0 else {
            throw Self.error("div_factor and final_div_factor must be positive, got \(divFactor) and \(finalDivFactor)")
        }
        self.optimizer = optimizer
        self.maxRate = maxRate
        self.pctStart = pctStart
        self.annealing = annealing
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.threePhase = threePhase
        if let totalSteps { try plan(totalSteps: totalSteps) }
        optimizer.learningRate = Float(initialRate)
    }

    /// The rate at step 0.
    public var initialRate: Double { maxRate / divFactor }
    /// The rate at the last step.
    public var finalRate: Double { initialRate / finalDivFactor }

    public func plan(totalSteps steps: Int) throws {
        if let totalSteps {
            guard steps <= totalSteps else {
                throw Self.error("training makes \(steps) optimizer steps but the schedule was built for total_steps \(totalSteps)")
            }
            return
        }
        guard steps > 0 else { throw Self.error("total steps must be positive, got \(steps)") }
        let total = Double(steps)
        let ends = threePhase ? [pctStart * total - 1, 2 * pctStart * total - 2, total - 1] : [pctStart * total - 1, total - 1]
        var start = 0.0
        for end in ends {
            guard end != start else {
                throw Self.error("pct_start \(pctStart) over \(steps) steps leaves a phase without steps; use more steps or another pct_start")
            }
            start = end
        }
        totalSteps = steps
    }

    /// The rate after `step` optimizer steps (PyTorch's piecewise phases, in double precision).
    public func rate(atStep step: Int) throws -> Double {
        guard let totalSteps else {
            throw Self.error("the number of steps is unknown: pass total_steps, or hand the schedule to fit")
        }
        guard step <= totalSteps else {
            throw Self.error("stepped \(step) times, beyond its total_steps \(totalSteps)")
        }
        let total = Double(totalSteps)
        let phases: [(end: Double, from: Double, to: Double)] = threePhase
            ? [(pctStart * total - 1, initialRate, maxRate), (2 * pctStart * total - 2, maxRate, initialRate),
               (total - 1, initialRate, finalRate)]
            : [(pctStart * total - 1, initialRate, maxRate), (total - 1, maxRate, finalRate)]
        var start = 0.0
        for (index, phase) in phases.enumerated() {
            if Double(step) <= phase.end || index == phases.count - 1 {
                return annealing.rate(from: phase.from, to: phase.to, fraction: (Double(step) - start) / (phase.end - start))
            }
            start = phase.end
        }
        return finalRate   // unreachable: the last phase always answers
    }

    public func step(metric: Double? = nil) throws {
        let rate = try rate(atStep: lastEpoch + 1)
        lastEpoch += 1
        optimizer.learningRate = Float(rate)
    }

    private static func error(_ reason: String) -> TensorError { TensorError(op: "OneCycleLR", reason: reason) }
}

/// Linear warm-up then cosine decay, stepped once per batch: over the first `warmupSteps` steps the
/// rate climbs linearly from `startFactor·base` to the base rate (the optimizer's rate at
/// construction), then follows half a cosine down to `minimumRate` at `totalSteps` and stays there.
/// Equals PyTorch's `SequentialLR([LinearLR(start_factor, total_iters=W), CosineAnnealingLR(T_max=T−W,
/// eta_min)], milestones=[W])` up to step T.
public final class WarmupCosineLR: StepwiseLRScheduler {
    public let optimizer: any Optimizer
    public private(set) var lastEpoch = 0
    public var interval: ScheduleInterval { .batch }
    public private(set) var totalSteps: Int?
    /// Warm-up length as given: a step count, or a fraction of the total.
    public let warmup: Warmup
    /// Multiplier of the base rate at step 0.
    public let startFactor: Double
    /// The rate at the end of the cosine.
    public let minimumRate: Double
    private let baseRate: Double

    /// A warm-up length: absolute, or relative to the total (resolved when the total is known).
    public enum Warmup: Sendable, Equatable {
        case steps(Int)
        case fraction(Double)
    }

    /// A warm-up + cosine schedule from the optimizer's current rate; `totalSteps` nil leaves it to `fit`.
    public init(optimizer: any Optimizer, warmup: Warmup, totalSteps: Int? = nil, startFactor: Double = 0.01,
                minimumRate: Double = 0) throws {
        switch warmup {
        case .steps(let n): guard n >= 0 else { throw Self.error("warm-up steps must be ≥ 0, got \(n)") }
        case .fraction(let f): guard f >= 0, f < 1 else { throw Self.error("warm-up fraction must be in [0, 1), got \(f)") }
        }
        guard startFactor >= 0, startFactor <= 1 else { throw Self.error("start_factor must be in [0, 1], got \(startFactor)") }
        self.optimizer = optimizer
        self.warmup = warmup
        self.startFactor = startFactor
        self.minimumRate = minimumRate
        baseRate = Double(optimizer.learningRate)
        optimizer.learningRate = Float(warmup == .steps(0) || warmup == .fraction(0) ? baseRate : baseRate * startFactor)
        if let totalSteps { try plan(totalSteps: totalSteps) }
    }

    /// Warm-up steps once the total is known.
    public var warmupSteps: Int? {
        switch warmup {
        case .steps(let n): return n
        case .fraction(let f): return totalSteps.map { Int((f * Double($0)).rounded()) }
        }
    }

    public func plan(totalSteps steps: Int) throws {
        if let totalSteps {
            guard steps <= totalSteps else {
                throw Self.error("training makes \(steps) optimizer steps but the schedule was built for total_steps \(totalSteps)")
            }
            return
        }
        let warm: Int
        switch warmup {
        case .steps(let n): warm = n
        case .fraction(let f): warm = Int((f * Double(steps)).rounded())
        }
        guard steps > warm else { throw Self.error("total steps \(steps) must exceed the \(warm) warm-up steps") }
        totalSteps = steps
        // A fractional warm-up may round to no steps at all: the starting rate is only known now.
        if lastEpoch == 0 { optimizer.learningRate = Float(try rate(atStep: 0)) }
    }

    /// The rate after `step` optimizer steps.
    public func rate(atStep step: Int) throws -> Double {
        guard let totalSteps, let warm = warmupSteps else {
            throw Self.error("the number of steps is unknown: pass total_steps, or hand the schedule to fit")
        }
        if step < warm { return baseRate * (startFactor + (1 - startFactor) * Double(step) / Double(warm)) }
        let progress = Double(min(step, totalSteps) - warm) / Double(totalSteps - warm)
        return minimumRate + (baseRate - minimumRate) * (1 + Foundation.cos(Double.pi * progress)) / 2
    }

    public func step(metric: Double? = nil) throws {
        let rate = try rate(atStep: lastEpoch + 1)
        lastEpoch += 1
        optimizer.learningRate = Float(rate)
    }

    private static func error(_ reason: String) -> TensorError { TensorError(op: "WarmupCosineLR", reason: reason) }
}
