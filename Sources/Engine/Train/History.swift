import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// What one training epoch measured.
public struct EpochRecord: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss over the epoch's examples (each batch's loss weighted by its size).
    public var trainLoss: Double
    /// Fraction of training examples whose logits' arg-max was the label (in training mode).
    public var trainAccuracy: Double
    /// Loss on the validation set after the epoch (eval mode), when there is one.
    public var validationLoss: Double?
    /// Accuracy on the validation set after the epoch, when there is one.
    public var validationAccuracy: Double?
    /// Learning rate used during the epoch.
    public var learningRate: Double
    /// Wall-clock seconds for the epoch (training and validation).
    public var seconds: Double
    /// Training examples per second (training pass only).
    public var samplesPerSecond: Double

    /// The record as the columns of `history.csv` (missing validation values are NaN).
    public var columns: [(String, Double)] {
        [("epoch", Double(epoch)), ("train_loss", trainLoss), ("train_acc", trainAccuracy),
         ("val_loss", validationLoss ?? .nan), ("val_acc", validationAccuracy ?? .nan),
         ("lr", learningRate), ("seconds", seconds), ("samples_per_s", samplesPerSecond)]
    }

    init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?, validationAccuracy: Double?,
         learningRate: Double, seconds: Double, samplesPerSecond: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }

    /// A record from one `history.csv` row (exact: numbers are written shortest-round-trip).
    init(csvRow fields: [String: Double]) throws {
        func number(_ key: String) throws -> Double {
            guard let value = fields[key] else { throw TrainError("history row lacks '\(key)'") }
            return value
        }
        func optional(_ key: String) -> Double? { fields[key].flatMap { $0.isNaN ? nil : $0 } }
        let epoch = try number("epoch")
        // A whole number in Int's range, which is also what keeps the conversion from trapping.
        guard epoch >= 0, epoch < 1e15, epoch == epoch.rounded() else { throw TrainError("history epoch \(epoch) is not a whole number ≥ 0") }
        self.init(epoch: Int(epoch), trainLoss: try number("train_loss"), trainAccuracy: try number("train_acc"),
                  validationLoss: optional("val_loss"), validationAccuracy: optional("val_acc"),
                  learningRate: try number("lr"), seconds: try number("seconds"),
                  samplesPerSecond: try number("samples_per_s"))
    }
}

/// Why `fit` returned.
public enum StopReason: String, Sendable, Equatable {
    /// All requested epochs ran.
    case completed
    /// Early stopping: the monitored metric stopped improving for `patience` epochs.
    case stoppedEarly = "stopped_early"
    /// Ctrl-C (or `Interruption.request()`): stopped after the batch that was running.
    case interrupted
    /// A training loss was NaN or infinite (`History.divergedAt` says where).
    case diverged
}

/// The per-epoch measurements of a training run and how it ended; writes `history.csv` and
/// loss/accuracy curves.
public struct History: Sendable, Equatable {
    /// One record per completed epoch, in order.
    public var epochs: [EpochRecord] = []
    /// Why training stopped.
    public var stopReason: StopReason = .completed
    /// The epoch with the best monitored value so far (its weights are restored when asked).
    public var bestEpoch: Int?
    /// For an interrupted run: the epoch that was cut short and how many of its batches ran.
    public var interruptedAt: InterruptionPoint?
    /// For a diverged run: the epoch and batch whose loss was not finite.
    public var divergedAt: DivergencePoint?

    /// An empty history.
    public init() {}

    /// Whether early stopping ended the run.
    public var stoppedEarly: Bool { stopReason == .stoppedEarly }
    /// Whether Ctrl-C ended the run.
    public var interrupted: Bool { stopReason == .interrupted }
    /// Whether training stopped part-way through an epoch (Ctrl-C, a signal, a diverged loss).
    public var stoppedMidEpoch: Bool { stopReason == .interrupted || stopReason == .diverged }
    /// The last completed epoch (0 before any).
    public var lastEpoch: Int { epochs.last?.epoch ?? 0 }

    /// All records as CSV with the columns of `EpochRecord.columns`.
    public var csv: String {
        guard let first = epochs.first else { return "" }
        return CSV.table(header: first.columns.map(\.0), rows: epochs.map { $0.columns.map { CSV.number($0.1) } })
    }

    /// Reads the records back from `csv` (kept in checkpoints so a resumed run continues the history).
    init(csv text: String) throws {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return }
        for (index, fields) in lines.dropFirst().enumerated() {
            let numbers = fields.compactMap(Double.init)
            guard fields.count == header.count, numbers.count == header.count else {
                throw TrainError("history line \(index + 2) does not have \(header.count) numbers")
            }
            epochs.append(try EpochRecord(csvRow: Dictionary(zip(header, numbers), uniquingKeysWith: { first, _ in first })))
        }
    }
}

/// Where a run was interrupted: the epoch cut short and the batches of it that ran.
public struct InterruptionPoint: Sendable, Equatable {
    /// The epoch that did not complete (not in `History.epochs`).
    public var epoch: Int
    /// Batches of that epoch that were applied to the model.
    public var batches: Int
}
