import EngineTensor

/// What `fit` does when a training batch's loss is NaN or infinite.
public enum NonFiniteLossPolicy: String, Sendable, CaseIterable {
    /// Stop training (the run "diverged"); the epochs completed before stay in the history.
    case stop
    /// Leave the batch out (no backward, no step) and go on; an epoch whose every batch is left
    /// out stops training as `stop` would.
    case skip
}

/// Where a training run's loss stopped being finite.
public struct DivergencePoint: Sendable, Equatable {
    /// The epoch that did not complete (not in `History.epochs`).
    public var epoch: Int
    /// The batch (from 1) whose loss was not finite.
    public var batch: Int
    /// Batches per epoch.
    public var batches: Int
    /// The loss value (NaN or ±infinity).
    public var loss: Double

    /// "loss nan at epoch 3, batch 5/12".
    public var summary: String { "loss \(loss.isNaN ? "nan" : "\(loss)") at epoch \(epoch), batch \(batch)/\(batches)" }
}
