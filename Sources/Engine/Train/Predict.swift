import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// A model's answers for a batch of inputs.
public struct Prediction {
    /// Raw outputs `(N, classes)`.
    public let logits: Tensor
    /// Softmax of the logits over classes `(N, classes)`.
    public let probabilities: Tensor
    /// Arg-max class of each input.
    public let classes: [Int]
    /// For the notebook attention models: attention weights over time `(N, 1, T)`.
    public let attentionWeights: Tensor?
}

/// Runs `model` on `input` `(N, …)` in eval mode without a graph, `batchSize` inputs at a time.
/// A notebook model also accepts one unbatched example (its `inputShape`) and returns its
/// attention weights. The model's train/eval mode is restored afterwards.
public func predict(_ model: Module, _ input: Tensor, batchSize: Int = 64) throws -> Prediction {
    guard batchSize >= 1 else { throw TrainError("batch size must be at least 1, got \(batchSize)") }
    let notebook = model as? NotebookModel
    var batched = input
    if let notebook, input.shape == type(of: notebook).inputShape { batched = try input.unsqueeze(0) }
    guard batched.rank >= 1, batched.shape[0] >= 1 else {
        throw TrainError("predict needs inputs of shape (N, …) with N ≥ 1; got \(input.shape)")
    }
    return try model.inferenceMode {
        var logits: [Tensor] = [], attention: [Tensor] = []
        var start = 0
        while start < batched.shape[0] {
            let part = try batched.slice(dim: 0, start: start, end: min(start + batchSize, batched.shape[0]))
            start += batchSize
            if let notebook {
                let output = try notebook.forwardDetailed(part)
                logits.append(output.logits)
                if let weights = output.attentionWeights { attention.append(weights) }
            } else {
                logits.append(try model(part))
            }
        }
        let all = logits.count == 1 ? logits[0] : try Tensor.concat(logits, dim: 0)
        return Prediction(logits: all, probabilities: try all.softmax(dim: 1), classes: try Logits.argmax(all),
                          attentionWeights: attention.isEmpty ? nil : try Tensor.concat(attention, dim: 0))
    }
}
