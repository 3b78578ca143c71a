import EngineTensor

/// `parallel_cnn_attention_lstm.ipynb`, the paper's second model (263,593 trainable parameters).
///
/// Input `(B, 1, 128, 563)`. The conv branch of `ParallelCNNTransformer` (256 features) beside
/// `lstm_maxpool` ([2, 4]) → `(B, time 140, 64)` → bidirectional `lstm` (hidden 128) →
/// `dropout_lstm` (0.1) → attention pooling with `attention_linear` (256 → 1) = 256 features;
/// `out_linear` maps the 512 concatenated features to the classes.
public final class ParallelCNNAttentionLSTM: NotebookModel {
    public override class var inputShape: [Int] { [1, 128, 563] }
    public let conv2Dblock: Sequential
    public let lstmMaxpool: MaxPool2d
    public let lstm: LSTM
    public let dropoutLSTM: Dropout
    public let attentionLinear: Linear
    public let outLinear: Linear

    public init(numEmotions: Int = 8, generator: RandomGenerator = .global) throws {
        conv2Dblock = try ConvStack.parallelModelsBranch(generator: generator)
        lstmMaxpool = try MaxPool2d(kernel: (2, 4), stride: (2, 4))
        lstm = try LSTM(inputSize: 64, hiddenSize: 128, bidirectional: true, generator: generator)
        dropoutLSTM = try Dropout(0.1, generator: generator.fork())
        attentionLinear = try Linear(256, 1, generator: generator)
        outLinear = try Linear(512, numEmotions, generator: generator)
        super.init()
        registerModules(["conv2Dblock": conv2Dblock, "lstm_maxpool": lstmMaxpool, "lstm": lstm, "dropout_lstm": dropoutLSTM, "attention_linear": attentionLinear, "out_linear": outLinear])
    }

    public override func forwardDetailed(_ input: Tensor) throws -> ModelOutput {
        try requireRank(input, [4], expected: "(B, 1, 128, 563)")
        let convEmbedding = try attributed { try conv2Dblock(input).flatten(startDim: 1) }
        let reduced = try attributed { try lstmMaxpool(input).squeeze(1).permute([0, 2, 1]) }
        let sequence = try dropoutLSTM(lstm(reduced))
        let (pooled, weights) = try AttentionPooling.pool(sequence, score: attentionLinear)
        let logits = try outLinear(attributed { try Tensor.concat([convEmbedding, pooled], dim: 1) })
        return try output(logits: logits, attention: weights)
    }
}
