import EngineTensor
import EngineNN

/// Runs `model` on `input` `(N, …)` in eval mode without a graph, `batchSize` rows at a time, and
/// joins the outputs along the first axis: embeddings of a frozen network, computed once.
/// The model's train/eval mode is restored afterwards.
public func forwardInBatches(_ model: Module, _ input: Tensor, batchSize: Int = 32) throws -> Tensor {
    guard batchSize >= 1 else { throw TrainError("batch size must be at least 1, got \(batchSize)") }
    guard input.rank >= 1, input.shape[0] >= 1 else { throw TrainError("needs inputs of shape (N, …) with N ≥ 1; got \(input.shape)") }
    return try model.inferenceMode {
        var outputs: [Tensor] = []
        var start = 0
        while start < input.shape[0] {
            outputs.append(try model(try input.slice(dim: 0, start: start, end: min(start + batchSize, input.shape[0]))))
            start += batchSize
        }
        return outputs.count == 1 ? outputs[0] : try Tensor.concat(outputs, dim: 0)
    }
}
