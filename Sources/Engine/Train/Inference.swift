import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// A loss computed from a batch's logits `(B, C)` and its labels; returns a scalar tensor.
public typealias LossFunction = (_ logits: Tensor, _ labels: [Int]) throws -> Tensor

/// Cross-entropy with PyTorch's defaults, the loss `fit` and `evaluate` use unless told otherwise.
public let crossEntropyLoss: LossFunction = { logits, labels in try Loss.crossEntropy(logits, targets: labels) }

/// What one pass of a model over a dataset (eval mode, no graph) produced.
struct InferencePass {
    /// Sum over examples of the loss (each batch's mean times its size); 0 without a loss.
    var lossSum = 0.0
    var correct = 0
    var predictions: [Int] = []
    /// Softmax probabilities, `classes` per example, when kept.
    package var probabilities: [Float] = []
    package var classes = 0

    var meanLoss: Double { lossSum / Double(max(1, predictions.count)) }
    package var accuracy: Double { Double(correct) / Double(max(1, predictions.count)) }

    /// Runs `model` over `data` in batches of `batchSize` (in order).
    init(model: Module, data: TensorDataset, batchSize: Int, loss: LossFunction?, keepProbabilities: Bool) throws {
        guard batchSize >= 1 else { throw TrainError("batch size must be at least 1, got \(batchSize)") }
        predictions.reserveCapacity(data.count)
        try model.inferenceMode {
            var start = 0
            while start < data.count {
                let batch = data.gather(Array(start..<min(start + batchSize, data.count)))
                start += batchSize
                let logits = try model(batch.features)
                let guesses = try Logits.argmax(logits)
                classes = logits.shape[1]
                if let loss { lossSum += Double(try loss(logits, batch.labels).item()) * Double(batch.labels.count) }
                correct += zip(guesses, batch.labels).filter { $0 == $1 }.count
                predictions += guesses
                if keepProbabilities { probabilities += try logits.softmax(dim: 1).values }
            }
        }
    }
}

/// Reading class decisions off a model's output.
enum Logits {
    /// The arg-max class of each row of `(B, C)` logits; throws for other shapes.
    static func argmax(_ logits: Tensor) throws -> [Int] {
        guard logits.rank == 2, logits.shape[1] > 0 else {
            throw TrainError("the model must return logits of shape (batch, classes); got \(logits.shape)")
        }
        return try logits.argmax(dim: 1).values.map { Int($0) }
    }
}
