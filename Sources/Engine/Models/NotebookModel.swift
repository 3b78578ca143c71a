import EngineTensor

/// What a notebook model returns: logits, their softmax over classes, and for the attention models
/// the attention weights over time `(B, 1, T)`.
public struct ModelOutput {
    public var logits: Tensor
    public var probabilities: Tensor
    public var attentionWeights: Tensor?
}

/// A model of the SER notebooks: a `Module` whose `forward` returns logits and whose
/// `forwardDetailed` also returns the class probabilities (and attention weights).
open class NotebookModel: Module {
    /// The notebook's input shape for one example, without the batch dimension.
    open class var inputShape: [Int] { [] }

    /// Logits, probabilities and (for the attention models) attention weights. Subclasses override it.
    open func forwardDetailed(_ input: Tensor) throws -> ModelOutput {
        throw LayerError(layer: self, reason: "\(typeDescription) does not define forwardDetailed")
    }

    /// The logits of `forwardDetailed`.
    public override func forward(_ input: Tensor) throws -> Tensor { try forwardDetailed(input).logits }

    public override var typeDescription: String { String(describing: Swift.type(of: self)) }

    /// Registers the model's attributes under the notebooks' names, in order.
    func registerModules(_ modules: KeyValuePairs<String, Module>) {
        for (name, module) in modules { registerModule(name, module) }
    }

    /// Logits and `softmax(logits, dim: 1)`.
    package func output(logits: Tensor, attention: Tensor? = nil) throws -> ModelOutput {
        ModelOutput(logits: logits, probabilities: try logits.softmax(dim: 1), attentionWeights: attention)
    }
}

/// The notebooks' conv block: Conv2d(k 3, s 1, p 1) → BatchNorm2d → ReLU → MaxPool2d(pool) → Dropout,
/// five modules per block, for each consecutive pair of `channels`.
enum ConvStack {
    /// The conv branch both parallel models share: 1→16→32→64→64, pools 2, 4, 4, 4, dropout 0.3;
    /// `(B, 1, 128, 563)` → `(B, 64, 1, 4)`.
    static func parallelModelsBranch(generator: RandomGenerator) throws -> Sequential {
        Sequential(try layers(channels: [1, 16, 32, 64, 64], pools: [2, 4, 4, 4], dropout: 0.3, generator: generator))
    }

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
