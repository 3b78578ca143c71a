import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

final class ModuleTests: XCTestCase {
    func testStateDictKeysFollowPyTorch() throws {
        let model = Sequential([try Conv2d(1, 2, kernelSize: 3), try BatchNorm2d(2),
                                try LSTM(inputSize: 2, hiddenSize: 3, bidirectional: true)])
        XCTAssertEqual(Set(model.stateDict().keys), [
            "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
            "2.weight_ih_l0", "2.weight_hh_l0", "2.bias_ih_l0", "2.bias_hh_l0",
            "2.weight_ih_l0_reverse", "2.weight_hh_l0_reverse", "2.bias_ih_l0_reverse", "2.bias_hh_l0_reverse",
        ])
        XCTAssertEqual(model.stateDict()["1.num_batches_tracked"]?.shape, [])
        XCTAssertEqual(model.stateDict()["2.weight_ih_l0"]?.shape, [12, 2])
    }

    func testLoadStateDictRoundTripsAndNamesEveryFault() throws {
        let a = try Linear(3, 2, generator: RandomGenerator(seed: 1)), b = try Linear(3, 2, generator: RandomGenerator(seed: 2))
        XCTAssertNotEqual(a.weight.values, b.weight.values)
        try b.loadStateDict(a.stateDict())
        XCTAssertEqual(a.weight.values, b.weight.values)
        XCTAssertEqual(a.bias?.values, b.bias?.values)

        var broken = a.stateDict()
        broken["weight"] = StoredTensor(shape: [3, 2], values: [Float](repeating: 0, count: 6))
        broken["bias"] = nil
        broken["extra"] = StoredTensor(shape: [1], values: [0])
        XCTAssertThrowsError(try b.loadStateDict(broken)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("missing keys: bias"), message)
            XCTAssertTrue(message.contains("unexpected keys: extra"), message)
            XCTAssertTrue(message.contains("weight: model [2, 3] vs state dict [3, 2]"), message)
        }
        XCTAssertEqual(a.weight.values, b.weight.values, "a failed load changes nothing")
    }

    func testShapeErrorsNameLayerAndShapes() throws {
        let model = Sequential([try Linear(4, 3), ReLU(), try Linear(5, 2)])
        XCTAssertThrowsError(try model(Tensor.zeros([2, 4]))) { error in
            XCTAssertEqual("\(error)", "2 (Linear(in: 5, out: 2)): expected input of shape (…, 5), got [2, 3]")
        }
        let permute = Sequential([Permute([0, 2, 2])])
        XCTAssertThrowsError(try permute(Tensor.zeros([2, 3, 4]))) { error in
            XCTAssertEqual("\(error)", "0 (Permute([0, 2, 2])): permutation [0, 2, 2] does not fit input of shape [2, 3, 4]")
        }
        XCTAssertThrowsError(try Conv2d(3, 4, kernelSize: 3)(Tensor.zeros([1, 2, 5, 5]))) { error in
            XCTAssertTrue("\(error)".contains("expected input of shape (N, 3, H, W), got [1, 2, 5, 5]"), "\(error)")
        }
        XCTAssertThrowsError(try MaxPool2d(kernelSize: 4)(Tensor.zeros([1, 1, 3, 8])))
        XCTAssertThrowsError(try Linear(0, 3))
        XCTAssertThrowsError(try MultiheadAttention(embedDim: 6, numHeads: 4))
    }

    func testBatchNormRunningStatisticsFollowMode() throws {
        let norm = try BatchNorm1d(2)
        let x = try Tensor(shape: [4, 2], values: [1, 10, 2, 10, 3, 10, 4, 10])
        _ = try norm(x)
        assertClose(norm.runningMean.values, [0.25, 1.0], absolute: 1e-6, relative: 0, "running mean")
        assertClose(norm.runningVar.values, [0.9 + 0.1 * 5 / 3, 0.9], absolute: 1e-6, relative: 0, "running var")
        XCTAssertEqual(try norm.numBatchesTracked.item(), 1)
        norm.eval()
        _ = try norm(x)
        XCTAssertEqual(try norm.numBatchesTracked.item(), 1)
        assertClose(norm.runningMean.values, [0.25, 1.0], absolute: 1e-6, relative: 0, "eval keeps stats")
        norm.train()
        XCTAssertThrowsError(try norm(Tensor.zeros([1, 2])), "one value per channel cannot train")
    }

    func testDefaultInitialisations() throws {
        let linear = try Linear(100, 50, generator: RandomGenerator(seed: 3))
        let bound: Float = 0.1
        XCTAssertTrue(linear.weight.values.allSatisfy { abs($0) <= bound })
        XCTAssertGreaterThan(linear.weight.values.map(abs).max() ?? 0, 0.95 * bound, "fills the whole range")
        let attention = try MultiheadAttention(embedDim: 8, numHeads: 2, generator: RandomGenerator(seed: 4))
        let xavier = (6.0 / Float(8 + 24)).squareRoot()
        let inProjWeight = try XCTUnwrap(attention.inProjWeight).values
        XCTAssertTrue(inProjWeight.allSatisfy { abs($0) <= xavier })
        XCTAssertGreaterThan(inProjWeight.map(abs).max() ?? 0, 0.9 * xavier)
        XCTAssertEqual(attention.inProjBias?.values, [Float](repeating: 0, count: 24))
        XCTAssertEqual(attention.outProj.bias?.values, [Float](repeating: 0, count: 8))
        let lstm = try LSTM(inputSize: 3, hiddenSize: 16, generator: RandomGenerator(seed: 5))
        XCTAssertTrue(lstm.parameters().allSatisfy { $0.values.allSatisfy { abs($0) <= 0.25 } })
        let encoder = try TransformerEncoder(numLayers: 3) { try TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16) }
        let states = encoder.layers.modules.map { $0.stateDict() }
        XCTAssertEqual(states[0], states[2], "PyTorch deep-copies one layer: all start equal")
    }

    func testTrainEvalPropagatesAndSummaryCounts() throws {
        let model = Sequential([try Linear(4, 3), try Dropout(0.5), try Linear(3, 2)])
        model.eval()
        XCTAssertTrue(model.namedModules().allSatisfy { !$0.module.isTraining })
        model.train()
        XCTAssertTrue(model.namedModules().allSatisfy { $0.module.isTraining })
        XCTAssertEqual(model.trainableParameterCount, 4 * 3 + 3 + 3 * 2 + 2)
        let summary = try model.summary(inputShape: [5, 4])
        XCTAssertTrue(summary.contains("[5, 3]"), summary)
        XCTAssertTrue(summary.hasSuffix("23 trainable parameters"), summary)
        // Without an input shape there are no shapes to show, so no column for them.
        let unshaped = try model.summary()
        XCTAssertFalse(unshaped.contains("output shape"), unshaped)
        XCTAssertFalse(unshaped.contains(" - "), unshaped)
        XCTAssertTrue(model.isTraining, "summary restores the mode")
        XCTAssertEqual(Module.grouped(395_176), "395,176")
        XCTAssertEqual(Module.grouped(12), "12")
    }
}
