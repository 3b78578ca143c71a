import EngineTensor

/// `stacked_cnn_attention_lstm.ipynb` (582,761 trainable parameters).
///
/// Input `(B, 7, 1, 128, 128)`. `conv2Dblock`: 3 time-distributed conv blocks 1→16→32→64 (pools
/// 2, 4, 4, dropout 0.3) → 64·4·4 = 1024 features per chunk → bidirectional `lstm` (hidden 64) →
/// `dropout_lstm` (0.4) → attention pooling with `attention_linear` (128 → 1) → `out_linear`
/// (128 → classes).
public final class StackedCNNAttentionLSTM: NotebookModel {
    public override class var inputShape: [Int] { [7, 1, 128, 128] }
    public let conv2Dblock: Sequential
    public let lstm: LSTM
    public let dropoutLSTM: Dropout
    public let attentionLinear: Linear
    public let outLinear: Linear

    public init(numEmotions: Int = 8, generator: RandomGenerator = .global) throws {
        conv2Dblock = Sequential(try ConvStack.layers(channels: [1, 16, 32, 64], pools: [2, 4, 4],
                                                      dropout: 0.3, generator: generator).map(TimeDistributed.init))
        lstm = try LSTM(inputSize: 1024, hiddenSize: 64, bidirectional: true, generator: generator)
        dropoutLSTM = try Dropout(0.4, generator: generator.fork())
        attentionLinear = try Linear(128, 1, generator: generator)
        outLinear = try Linear(128, numEmotions, generator: generator)
        super.init()
        registerModules(["conv2Dblock": conv2Dblock, "lstm": lstm, "dropout_lstm": dropoutLSTM, "attention_linear": attentionLinear, "out_linear": outLinear])
    }

    public override func forwardDetailed(_ input: Tensor) throws -> ModelOutput {
        try requireRank(input, [5], expected: "(B, 7, 1, 128, 128)")
        let chunks = try attributed { try conv2Dblock(input).flatten(startDim: 2) }
        let sequence = try dropoutLSTM(lstm(chunks))
        let (pooled, weights) = try AttentionPooling.pool(sequence, score: attentionLinear)
        return try output(logits: try outLinear(pooled), attention: weights)
    }
}
