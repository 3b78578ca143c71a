import EngineTensor
import EngineNN
import EngineAudio
import EngineData

extension Module {
    /// Recomputes every batch-norm layer's running statistics from one pass over `data` in
    /// training mode without a graph (PyTorch's `torch.optim.swa_utils.update_bn`): the statistics
    /// are reset, then batch k enters with weight 1/k, so they end as the plain mean over the
    /// batches; `num_batches_tracked` counts them. Averaged weights need this because running
    /// statistics collected under other weights do not fit them. Does nothing without batch norm.
    public func updateBatchNorm(_ data: TensorDataset, batchSize: Int) throws {
        let norms = namedModules().compactMap { $0.module as? BatchNormLayer }
        guard !norms.isEmpty else { return }
        let loader = try BatchLoader(data, batchSize: batchSize, shuffle: false)
        let momenta = norms.map(\.momentum)
        let wasTraining = isTraining
        defer {
            for (norm, momentum) in zip(norms, momenta) { norm.momentum = momentum }
            train(wasTraining)
        }
        for norm in norms {
            norm.runningMean.storage.buffer.update(repeating: 0)
            norm.runningVar.storage.buffer.update(repeating: 1)
            norm.numBatchesTracked.storage.buffer.update(repeating: 0)
        }
        train()
        try GradMode.withDisabled {
            for (index, batch) in loader.batches(epoch: 1).enumerated() {
                for norm in norms { norm.momentum = 1 / Float(index + 1) }
                _ = try self(batch.features)
            }
        }
    }
}
