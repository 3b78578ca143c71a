import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

final class NotebookModelTests: XCTestCase {
    func testTrainableParameterCountsMatchTheNotebooks() throws {
        XCTAssertEqual(try ParallelCNNTransformer().trainableParameterCount, 395_176)
        XCTAssertEqual(try ParallelCNNAttentionLSTM().trainableParameterCount, 263_593)
        XCTAssertEqual(try StackedCNNLSTM().trainableParameterCount, 147_816)
        XCTAssertEqual(try StackedCNNAttentionLSTM().trainableParameterCount, 582_761)
    }

    func testStateDictKeysMirrorTheNotebooks() throws {
        let transformer = try ParallelCNNTransformer().stateDict()
        XCTAssertEqual(transformer["transf_encoder.layers.3.self_attn.in_proj_weight"]?.shape, [192, 64])
        XCTAssertEqual(transformer["transf_encoder.layers.0.linear1.weight"]?.shape, [512, 64])
        XCTAssertEqual(transformer["conv2Dblock.16.running_var"]?.shape, [64])
        XCTAssertEqual(transformer["out_linear.weight"]?.shape, [8, 320])
        let stacked = try StackedCNNAttentionLSTM().stateDict()
        XCTAssertEqual(stacked["conv2Dblock.0.module.weight"]?.shape, [16, 1, 3, 3])
        XCTAssertEqual(stacked["lstm.weight_ih_l0_reverse"]?.shape, [256, 1024])
        XCTAssertEqual(stacked["attention_linear.weight"]?.shape, [1, 128])
    }

    func testForwardShapesAndSummary() throws {
        let generator = RandomGenerator(seed: 1)
        let parallel = try ParallelCNNAttentionLSTM(generator: generator)
        parallel.eval()
        let out = try parallel.forwardDetailed(Tensor.randn([2, 1, 128, 563], generator: generator))
        XCTAssertEqual(out.logits.shape, [2, 8])
        XCTAssertEqual(out.attentionWeights?.shape, [2, 1, 140])
        let stacked = try StackedCNNLSTM(generator: generator)
        XCTAssertEqual(try stacked(Tensor.randn([2, 7, 1, 128, 128], generator: generator)).shape, [2, 8])
        let summary = try ParallelCNNTransformer(generator: generator).summary(inputShape: [1, 1, 128, 563])
        XCTAssertTrue(summary.hasSuffix("395,176 trainable parameters"), summary)
        XCTAssertTrue(summary.contains("transf_encoder.layers.0.self_attn.out_proj"), summary)
        // Attention's in_proj parameters have a row too: the rows add up to the total.
        let rows = summary.split(separator: "\n").dropFirst(2).dropLast()
        let total = rows.compactMap { Int($0.split(separator: " ").last?.replacingOccurrences(of: ",", with: "") ?? "") }.reduce(0, +)
        XCTAssertEqual(total, 395_176, summary)
        XCTAssertTrue(summary.contains("transf_encoder.layers.0.self_attn "), summary)
        XCTAssertThrowsError(try stacked(Tensor.zeros([2, 1, 128, 128])))
    }
}
