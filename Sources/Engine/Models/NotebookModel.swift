/// What a notebook model returns: logits, their softmax over classes, and for the attention models
/// the attention weights over time `(B, 1, T)`.
public struct ModelOutput {
    public var logits: Tensor
    public var probabilities: Tensor
    public var attentionWeights: Tensor?
}

/// A model of the SER notebooks: a `Module` whose `forward` returns logits and whose
/// `forwardDetailed` also returns the class probabilities (and attention weights).
public protocol NotebookModel: Module {
    /// The notebook's input shape for one example, without the batch dimension.
    static var inputShape: [Int] { get }
    /// Logits, probabilities and (for the attention models) attention weights.
    func forwardDetailed(_ input: Tensor) throws -> ModelOutput
}

extension NotebookModel {
    /// Logits and `softmax(logits, dim: 1)`.
    func output(logits: Tensor, attention: Tensor? = nil) throws -> ModelOutput {
        ModelOutput(logits: logits, probabilities: try logits.softmax(dim: 1),
                    attentionWeights: attention)
    }
}

/// The notebooks' conv block: Conv2d(k 3, s 1, p 1) → BatchNorm2d → ReLU → MaxPool2d(pool) → Dropout,
/// five modules per block, for each consecutive pair of `channels`.
enum ConvStack {
    static func layers(channels: [Int], pools: [Int], dropout: Float, generator: RandomGenerator) throws -> [Module] {
        var layers: [Module] = []
        for ((inChannels, outChannels), pool) in zip(zip(channels, channels.dropFirst()), pools) {
            layers += [try Conv2d(inChannels, outChannels, kernelSize: 3, stride: 1, padding: 1, generator: generator),
                       try BatchNorm2d(outChannels), ReLU(), try MaxPool2d(kernelSize: pool),
                       try Dropout(dropout, generator: generator.fork())]
        }
        return layers
    }
}
