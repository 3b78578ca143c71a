import EngineTensor

/// `parallel_cnn_transformer.ipynb`, the paper's main model (395,176 trainable parameters).
///
/// Input `(B, 1, 128, 563)`. Conv branch `conv2Dblock`: 4 conv blocks 1→16→32→64→64 with pools
/// 2, 4, 4, 4 and dropout 0.3, flattened to 256. Transformer branch: `transf_maxpool` ([2, 4]) to
/// `(B, 64, 140)`, read as `(time 140, B, 64)` by `transf_encoder` (4 post-norm layers, d 64, 4 heads,
/// feed-forward 512, dropout 0.4), mean over time = 64. `out_linear` maps the 320 concatenated
/// features to the classes.
public final class ParallelCNNTransformer: NotebookModel {
    public override class var inputShape: [Int] { [1, 128, 563] }
    public let conv2Dblock: Sequential
    public let transfMaxpool: MaxPool2d
    public let transfEncoder: TransformerEncoder
    public let outLinear: Linear

    public init(numEmotions: Int = 8, generator: RandomGenerator = .global) throws {
        conv2Dblock = try ConvStack.parallelModelsBranch(generator: generator)
        transfMaxpool = try MaxPool2d(kernel: (2, 4), stride: (2, 4))
        transfEncoder = try TransformerEncoder(numLayers: 4) {
            try TransformerEncoderLayer(dModel: 64, numHeads: 4, dimFeedforward: 512, dropout: 0.4, generator: generator)
        }
        outLinear = try Linear(320, numEmotions, generator: generator)
        super.init()
        registerModules(["conv2Dblock": conv2Dblock, "transf_maxpool": transfMaxpool, "transf_encoder": transfEncoder, "out_linear": outLinear])
    }

    public override func forwardDetailed(_ input: Tensor) throws -> ModelOutput {
        try requireRank(input, [4], expected: "(B, 1, 128, 563)")
        let convEmbedding = try attributed { try conv2Dblock(input).flatten(startDim: 1) }
        let reduced = try attributed { try transfMaxpool(input).squeeze(1).permute([2, 0, 1]) }
        let transfEmbedding = try attributed { try transfEncoder(reduced).mean(dim: 0) }
        let logits = try outLinear(attributed { try Tensor.concat([convEmbedding, transfEmbedding], dim: 1) })
        return try output(logits: logits)
    }
}
