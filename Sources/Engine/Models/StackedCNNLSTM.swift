import EngineTensor

/// `stacked_cnn_lstm.ipynb` (147,816 trainable parameters).
///
/// Input `(B, 7, 1, 128, 128)`: seven log-mel chunks. `conv2Dblock` applies 4 conv blocks
/// 1→16→32→64→128 (pools 2, 4, 4, 4, dropout 0.4) to every chunk, each module wrapped in its own
/// `TimeDistributed` (keys `conv2Dblock.0.module.weight`, …) → 128 features per chunk → `lstm`
/// (hidden 64) → last step → `dropout_lstm` (0.3) → `out_linear` (64 → classes).
public final class StackedCNNLSTM: NotebookModel {
    public override class var inputShape: [Int] { [7, 1, 128, 128] }
    public let conv2Dblock: Sequential
    public let lstm: LSTM
    public let dropoutLSTM: Dropout
    public let outLinear: Linear

    public init(numEmotions: Int = 8, generator: RandomGenerator = .global) throws {
        conv2Dblock = Sequential(try ConvStack.layers(channels: [1, 16, 32, 64, 128], pools: [2, 4, 4, 4],
                                                      dropout: 0.4, generator: generator).map(TimeDistributed.init))
        lstm = try LSTM(inputSize: 128, hiddenSize: 64, generator: generator)
        dropoutLSTM = try Dropout(0.3, generator: generator.fork())
        outLinear = try Linear(64, numEmotions, generator: generator)
        super.init()
        registerModules(["conv2Dblock": conv2Dblock, "lstm": lstm, "dropout_lstm": dropoutLSTM, "out_linear": outLinear])
    }

    public override func forwardDetailed(_ input: Tensor) throws -> ModelOutput {
        try requireRank(input, [5], expected: "(B, 7, 1, 128, 128)")
        let chunks = try attributed { try conv2Dblock(input).flatten(startDim: 2) }
        let sequence = try dropoutLSTM(lstm(chunks))
        let last = try attributed { try sequence.select(dim: 1, index: sequence.shape[1] - 1) }
        return try output(logits: try outLinear(last))
    }
}
