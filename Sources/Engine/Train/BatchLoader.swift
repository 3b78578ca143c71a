import EngineTensor
import EngineAudio
import EngineData

/// Cuts a `TensorDataset` into mini-batches, reshuffled every epoch from the seed and the epoch
/// number alone, so epoch `e` has the same order whether training ran straight through or resumed.
public struct BatchLoader {
    /// The examples.
    public let dataset: TensorDataset
    /// Examples per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the examples in a fresh random order.
    public let shuffle: Bool
    /// Whether a final batch smaller than `batchSize` is skipped.
    public let dropLast: Bool
    /// Seed of the per-epoch permutations.
    public let seed: UInt64

    /// A loader; throws unless `batchSize` ≥ 1 and at least one batch fits.
    public init(_ dataset: TensorDataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
                seed: UInt64 = 0) throws {
        guard batchSize >= 1 else { throw TrainError("batch size must be at least 1, got \(batchSize)") }
        guard dataset.count > 0, !(dropLast && dataset.count < batchSize) else {
            throw TrainError("\(dataset.count) examples give no batch of \(batchSize)\(dropLast ? " with drop-last" : "")")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// Examples visited in one epoch.
    public var samplesPerEpoch: Int { dropLast ? batchesPerEpoch * batchSize : dataset.count }

    /// The order in which epoch `epoch` (1-based) visits the examples.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        return RandomGenerator(seed: seed, stream: [0xBA7C, UInt64(truncatingIfNeeded: epoch)]).permutation(dataset.count)
    }

    /// The batches of epoch `epoch`, assembled one at a time as they are iterated.
    public func batches(epoch: Int) -> EpochBatches {
        EpochBatches(dataset: dataset, order: order(epoch: epoch), batchSize: batchSize, count: batchesPerEpoch)
    }
}

/// The batches of one epoch; each is built (a `memcpy` per example) only when reached.
public struct EpochBatches: Sequence, IteratorProtocol {
    let dataset: TensorDataset
    package let order: [Int]
    package let batchSize: Int
    /// Number of batches this epoch yields.
    public let count: Int
    private var position = 0

    init(dataset: TensorDataset, order: [Int], batchSize: Int, count: Int) {
        self.dataset = dataset
        self.order = order
        self.batchSize = batchSize
        self.count = count
    }

    /// The next batch, or nil after the last.
    public mutating func next() -> Batch? {
        guard position < count else { return nil }
        let start = position * batchSize
        position += 1
        return dataset.gather(Array(order[start..<Swift.min(start + batchSize, order.count)]))
    }
}
