import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// An in-memory set of examples for training or evaluation: one feature tensor `(N, …)` whose
/// first axis indexes the examples, an integer class label per example, and per example the row
/// of the clip table (`Dataset`) it came from — augmented copies point at their source clip — so
/// results can be broken down by speaker, gender or intensity.
public struct TensorDataset {
    /// All examples stacked along the first axis.
    public let features: Tensor
    /// Class index of each example.
    public let labels: [Int]
    /// Row in the clip table of each example (`0..<N` unless given).
    public let metadataRows: [Int]

    /// A dataset over `features` `(N, …)` with one label (≥ 0) per example, and optionally one
    /// clip-table row per example.
    public init(features: Tensor, labels: [Int], metadataRows: [Int]? = nil) throws {
        guard features.rank >= 1 else {
            throw TrainError("features must have an example axis first; got a scalar")
        }
        guard features.shape[0] == labels.count else {
            throw TrainError("features \(features.shape) hold \(features.shape[0]) examples but \(labels.count) labels were given")
        }
        if let (row, bad) = labels.enumerated().first(where: { $0.element < 0 }) {
            throw TrainError("label \(bad) of example \(row) is negative")
        }
        let rows = metadataRows ?? Array(labels.indices)
        guard rows.count == labels.count else {
            throw TrainError("\(rows.count) metadata rows for \(labels.count) examples")
        }
        self.features = features.detach()
        self.labels = labels
        self.metadataRows = rows
    }

    /// A dataset stacking equally shaped `samples` (each one example without the batch axis).
    public init(samples: [Tensor], labels: [Int], metadataRows: [Int]? = nil) throws {
        guard let first = samples.first else { throw TrainError("cannot build a dataset from zero samples") }
        if let (index, odd) = samples.enumerated().first(where: { $0.element.shape != first.shape }) {
            throw TrainError("sample \(index) has shape \(odd.shape) but sample 0 has \(first.shape)")
        }
        let stacked = try Tensor.uninitialized([samples.count] + first.shape)
        let size = first.count
        for (index, sample) in samples.enumerated() {
            (stacked.storage.pointer + index * size).update(from: sample.storage.pointer, count: size)
        }
        try self.init(features: stacked, labels: labels, metadataRows: metadataRows)
    }

    /// Number of examples.
    public var count: Int { labels.count }

    /// Shape of one example (the feature shape without the first axis).
    public var sampleShape: [Int] { Array(features.shape.dropFirst()) }

    /// Number of classes the labels imply (largest label + 1).
    public var impliedClassCount: Int { (labels.max() ?? -1) + 1 }

    /// The examples at `rows` (in that order) as a batch; throws on an index out of range.
    public func batch(rows: [Int]) throws -> Batch {
        if let bad = rows.first(where: { $0 < 0 || $0 >= count }) {
            throw TrainError("example \(bad) is out of range for a dataset of \(count)")
        }
        return gather(rows)
    }

    /// A dataset of the examples at `rows` (features copied).
    public func subset(_ rows: [Int]) throws -> TensorDataset {
        let picked = try batch(rows: rows)
        return try TensorDataset(features: picked.features, labels: picked.labels,
                                 metadataRows: rows.map { metadataRows[$0] })
    }

    /// Copies the rows (validated by the caller) into one fresh batch tensor, one `memcpy` per example.
    func gather(_ rows: [Int]) -> Batch {
        let size = sampleShape.reduce(1, *)
        let out = Tensor.make([rows.count] + sampleShape)
        let source = features.storage.pointer, target = out.storage.pointer
        for (slot, row) in rows.enumerated() {
            (target + slot * size).update(from: source + row * size, count: size)
        }
        return Batch(features: out, labels: rows.map { labels[$0] }, rows: rows)
    }
}

/// A mini-batch: stacked features, their labels, and which dataset examples they are.
public struct Batch {
    /// Features `(B, …)`.
    public let features: Tensor
    /// Labels of the batch's examples.
    public let labels: [Int]
    /// Indices of the examples in their `TensorDataset`.
    public let rows: [Int]
}
