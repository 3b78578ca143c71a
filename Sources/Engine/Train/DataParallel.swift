import EngineTensor
import EngineNN

/// Data-parallel training over a `Communicator`, as PyTorch DDP and Horovod do it: every rank
/// holds the same model (rank 0's weights and buffers are broadcast when training starts), walks
/// the same shuffled order (rank 0's seed), trains on its shard of every global batch —
/// examples `rank, rank + size, …` of it, so the ranks' shards together are exactly the batch one
/// process would train on — and before each step replaces its gradients by the average over all
/// examples of the global batch: each rank's mean gradient weighted by its example count, summed
/// with MPI_Allreduce in buckets of about `bucketElements` values that start as soon as backward
/// has finished every gradient in them. Every rank then takes the same optimizer step.
final class DataParallel {
    let communicator: any Communicator
    /// Parameters in the order backward finishes them (last layer first), grouped into buckets.
    private let buckets: [GradientBucket]
    private let bucketOf: [ObjectIdentifier: Int]
    private let model: Module
    /// Examples in this rank's shard of the running batch, and in the whole batch.
    private var localCount = 0
    private(set) var globalCount = 0

    /// Values per all-reduce bucket (1 MiB of floats): a few buckets for the notebook models.
    static let bucketElements = 1 << 18

    init(model: Module, optimizer: any Optimizer, communicator: any Communicator) throws {
        self.communicator = communicator
        self.model = model
        let trained = optimizer.parameters.filter(\.requiresGrad)
        var buckets: [GradientBucket] = []
        var current: [Tensor] = []
        for parameter in trained.reversed() {
            current.append(parameter)
            if current.reduce(0, { $0 + $1.count }) >= Self.bucketElements {
                buckets.append(GradientBucket(current))
                current = []
            }
        }
        if !current.isEmpty { buckets.append(GradientBucket(current)) }
        self.buckets = buckets
        var bucketOf: [ObjectIdentifier: Int] = [:]
        for (index, bucket) in buckets.enumerated() {
            for parameter in bucket.parameters { bucketOf[ObjectIdentifier(parameter)] = index }
        }
        self.bucketOf = bucketOf
        let total = trained.reduce(0) { $0 + $1.count }
        let largest = try communicator.maximum([Double(total)])[0]
        guard largest == Double(total) else {
            throw TrainError("rank \(communicator.rank) trains \(total) parameters but another rank \(Int(largest)); every rank must build the same model")
        }
    }

    var rank: Int { communicator.rank }

    /// The data parallelism `options.communicator` asks for, nil on one process. Agrees the seed,
    /// copies rank 0's model to the others and leaves writing (checkpoints, history, progress) to rank 0.
    static func forTraining(model: Module, optimizer: any Optimizer, train: TensorDataset,
                            options: inout FitOptions) throws -> DataParallel? {
        guard let communicator = options.communicator, communicator.size > 1 else { return nil }
        try checkShards(examples: train.count, perRankBatch: options.batchSize, ranks: communicator.size,
                        dropLast: options.dropLast)
        let parallel = try DataParallel(model: model, optimizer: optimizer, communicator: communicator)
        if options.syncBatchNorm { parallel.synchronizeBatchNorm(communicator) }
        options.seed = try parallel.agreedSeed(options.seed)
        try parallel.broadcastState()
        if parallel.rank != 0 {
            options.checkpoint = nil
            options.runFolder = nil
            options.progress = .silent
        }
        return parallel
    }

    /// Rank 0's seed, so every rank shuffles alike (dropout masks then differ by rank, see `fit`).
    func agreedSeed(_ seed: UInt64) throws -> UInt64 { try communicator.broadcast(seed, from: 0) }

    /// Batch norm layers take their statistics over every rank while this training runs.
    private func synchronizeBatchNorm(_ group: (any Communicator)?) {
        for (_, module) in model.namedModules() { (module as? BatchNormLayer)?.statisticsGroup = group }
    }

    deinit { synchronizeBatchNorm(nil) }

    /// Copies rank 0's weights and buffers (batch-norm statistics) to every rank.
    func broadcastState() throws {
        try communicator.broadcast(model.parameters() + model.namedBuffers().map(\.tensor), from: 0)
    }

    /// Copies rank 0's buffers to every rank (DDP's `broadcast_buffers`), so evaluation and the
    /// decisions taken from it (early stopping, plateau schedules) agree across ranks.
    func broadcastBuffers() throws {
        try communicator.broadcast(model.namedBuffers().map(\.tensor), from: 0)
    }

    /// Every global batch must give each rank at least one example.
    static func checkShards(examples: Int, perRankBatch: Int, ranks: Int, dropLast: Bool) throws {
        let global = perRankBatch * ranks
        let tail = examples % global
        guard dropLast || tail == 0 || tail >= ranks else {
            throw TrainError("the last batch of \(tail) examples cannot give each of \(ranks) ranks one; "
                             + "use drop_last: true or a dataset size that is not \(tail) more than a multiple of \(global)")
        }
    }

    /// This rank's shard of a global batch: its examples `rank, rank + size, …`.
    func shard(_ batch: Batch) -> Batch {
        let rows = Array(stride(from: rank, to: batch.labels.count, by: communicator.size))
        let size = batch.features.count / Swift.max(1, batch.labels.count)
        let out = Tensor.make([rows.count] + Array(batch.features.shape.dropFirst()))
        let source = batch.features.storage.pointer, target = out.storage.pointer
        for (slot, row) in rows.enumerated() {
            (target + slot * size).update(from: source + row * size, count: size)
        }
        return Batch(features: out, labels: rows.map { batch.labels[$0] }, rows: rows.map { batch.rows[$0] })
    }

    /// The global batch's mean loss from this rank's mean over its `count` examples (NaN or ∞ on
    /// any rank makes it non-finite everywhere, so all ranks skip or stop together).
    func meanLoss(_ loss: Double, count: Int) throws -> Double {
        let sums = try communicator.sum([loss * Double(count), Double(count)])
        localCount = count
        globalCount = Int(sums[1])
        for bucket in buckets { bucket.reset() }
        return sums[0] / sums[1]
    }

    /// Called by backward as each parameter's gradient becomes final: a bucket whose gradients
    /// are all final starts its sum while backward goes on with earlier layers.
    func gradientReady(_ tensor: Tensor) throws {
        guard let index = bucketOf[ObjectIdentifier(tensor)] else { return }
        try buckets[index].add(tensor, weight: Float(localCount), communicator: communicator)
    }

    /// After backward: starts the buckets still waiting (parameters no example reached count as
    /// zero), waits for every sum and writes the averaged gradients back.
    func averageGradients() throws {
        for bucket in buckets { try bucket.startRemaining(weight: Float(localCount), communicator: communicator) }
        let scale = 1 / Float(globalCount)
        for bucket in buckets { try bucket.finish(scale: scale) }
    }
}

/// A run of parameters whose gradients are summed over the ranks in one all-reduce.
final class GradientBucket {
    let parameters: [Tensor]
    private let offsets: [Int]
    /// The weighted gradients, laid out parameter after parameter; MPI reads and writes it in place.
    private let values: UnsafeMutableBufferPointer<Float>
    private var ready: Set<ObjectIdentifier> = []
    private var pending: PendingSum?

    init(_ parameters: [Tensor]) {
        self.parameters = parameters
        var offsets = [Int](), total = 0
        for parameter in parameters {
            offsets.append(total)
            total += parameter.count
        }
        self.offsets = offsets
        values = .allocate(capacity: total)
        values.initialize(repeating: 0)
    }

    deinit { values.deallocate() }

    func reset() {
        ready.removeAll(keepingCapacity: true)
        pending = nil
    }

    /// Copies `tensor`'s gradient × `weight` into the bucket; the last one starts the sum.
    func add(_ tensor: Tensor, weight: Float, communicator: any Communicator) throws {
        guard let index = parameters.firstIndex(where: { $0 === tensor }),
              ready.insert(ObjectIdentifier(tensor)).inserted else { return }
        copyIn(index, weight: weight)
        if ready.count == parameters.count { try start(communicator) }
    }

    func startRemaining(weight: Float, communicator: any Communicator) throws {
        guard pending == nil else { return }
        for (index, parameter) in parameters.enumerated() where !ready.contains(ObjectIdentifier(parameter)) {
            copyIn(index, weight: weight)
        }
        try start(communicator)
    }

    /// Waits for the sum and sets each gradient to its share × `scale`.
    func finish(scale: Float) throws {
        try pending?.wait()
        pending = nil
        for (parameter, offset) in zip(parameters, offsets) {
            if parameter.grad == nil { parameter.grad = Tensor.make(parameter.shape) }
            parameter.grad?.withUnsafeMutableBufferPointer { grad in
                for i in 0..<grad.count { grad[i] = values[offset + i] * scale }
            }
        }
    }

    private func copyIn(_ index: Int, weight: Float) {
        let offset = offsets[index], count = parameters[index].count
        guard let grad = parameters[index].grad else {
            for i in 0..<count { values[offset + i] = 0 }
            return
        }
        grad.withUnsafeBufferPointer { source in
            for i in 0..<count { values[offset + i] = source[i] * weight }
        }
    }

    private func start(_ communicator: any Communicator) throws {
        pending = try communicator.startSum(values)
    }
}
