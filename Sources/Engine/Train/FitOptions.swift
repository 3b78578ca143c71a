import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Everything `fit` can be told besides the model, optimizer and data. Defaults follow the
/// notebooks: cross-entropy, batch 32, shuffled every epoch.
public struct FitOptions {
    /// Last epoch to train (a resumed run continues up to it).
    public var epochs: Int
    /// Examples per training batch.
    public var batchSize: Int
    /// Examples per batch when computing validation metrics (default: `batchSize`).
    public var evaluationBatchSize: Int?
    /// Whether each epoch visits the training examples in a fresh order.
    public var shuffle = true
    /// Whether a last training batch smaller than `batchSize` is skipped.
    public var dropLast = false
    /// Seed of the per-epoch shuffles and dropout masks (both derived from it and the epoch number).
    public var seed: UInt64 = 0
    /// The training and validation loss.
    public var loss: LossFunction = crossEntropyLoss
    /// Learning-rate schedule, stepped after every epoch with the monitored value (or after every
    /// batch, for `.batch` schedules, whose length `fit` sets to epochs × batches per epoch).
    public var scheduler: (any LRScheduler)?
    /// The value early stopping, best restore and `ReduceLROnPlateau` watch; nil = validation loss
    /// when there is validation data, else training loss.
    public var monitor: Monitor?
    /// Stop when the monitored value stops improving.
    public var earlyStopping: EarlyStopping?
    /// Whether the model ends with the weights of its best epoch (kept in memory).
    public var restoreBest = false
    /// Blend every training batch with a shuffled copy of itself (mixup), λ drawn from the seed and
    /// the epoch; the training accuracy then counts each prediction λ / (1 − λ) toward both labels.
    public var mixup: Mixup?
    /// Train an exponential moving average of the weights, or average the last epochs (SWA).
    public var averaging: WeightAveraging?
    /// What a NaN or infinite training loss does: stop training as diverged (default) or skip the batch.
    public var onNonFiniteLoss: NonFiniteLossPolicy = .stop
    /// Rescale gradients so their global L2 norm is at most this, before each step.
    public var clipGradientNorm: Float?
    /// Live bar, plain lines or nothing.
    public var progress: ProgressStyle = .automatic
    /// Where progress goes (standard output unless redirected, e.g. by a test or a GUI).
    public var output: ProgressOutput = .standardOutput
    /// Where and how often to write resumable checkpoints.
    public var checkpoint: CheckpointPolicy?
    /// A run folder whose `history.csv` gets one row per epoch.
    public var runFolder: (any EpochHistoryWriter)?
    /// Called after every epoch with its record and the model (logging, custom checks).
    public var onEpochEnd: ((EpochRecord, Module) throws -> Void)?
    /// The ranks to train data-parallel over (`Cluster.training` under mpirun); `batchSize` is then
    /// per rank and only rank 0 writes checkpoints, history and progress. Nil: this process alone.
    public var communicator: (any Communicator)?
    /// Under data parallelism, batch norm statistics over the whole global batch (SyncBatchNorm)
    /// instead of each rank's shard (PyTorch DDP's default).
    public var syncBatchNorm = false

    /// Options for `epochs` epochs of batches of `batchSize`.
    public init(epochs: Int, batchSize: Int = 32) {
        self.epochs = epochs
        self.batchSize = batchSize
    }
}

/// When and where `fit` writes checkpoints: model weights, optimizer state, epoch, history,
/// scaler and class names in one safetensors file (atomic replace), every `every` epochs and when
/// training stops. With `restoreBest`, the best epoch's weights go to a sibling file
/// (`bestPath`) so a resumed run can still restore them.
public struct CheckpointPolicy {
    /// The checkpoint file (`.safetensors`).
    public var path: String
    /// Epochs between checkpoints.
    public var every: Int
    /// Class names in label order, stored as the label map.
    public var classNames: [String]
    /// The fitted feature scaler, stored so inference can standardise the same way.
    public var scaler: StandardScaler?
    /// Free-form metadata (e.g. resolved script parameters).
    public var extra: [String: String]

    /// A policy writing to `path` every `every` epochs.
    public init(path: String, every: Int = 1, classNames: [String] = [], scaler: StandardScaler? = nil,
                extra: [String: String] = [:]) {
        self.path = path
        self.every = every
        self.classNames = classNames
        self.scaler = scaler
        self.extra = extra
    }

    /// Where the best epoch's weights go: `run.safetensors` → `run.best.safetensors`.
    public var bestPath: String { CheckpointPolicy.bestPath(for: path) }

    package static func bestPath(for path: String) -> String {
        let suffix = ".safetensors"
        return path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) + ".best" + suffix : path + ".best"
    }
}

/// Where `fit` appends one row of (column, value) pairs per epoch: a `RunFolder`'s `history.csv`.
/// A protocol because run folders belong to the report layer, above training.
public protocol EpochHistoryWriter: AnyObject {
    /// Appends one epoch's row.
    func appendHistory(_ row: [(String, Double)]) throws
}
