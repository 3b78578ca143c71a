import Foundation
import XCTest
import Engine
@testable import EngineExport

/// ONNX export checked against onnxruntime: the four notebook models, a zoo of the other layers and
/// a bundle with its scaler give serscript's logits within 1e-4, for two batch sizes (the batch is
/// symbolic); the file passes onnx.checker and declares opset 17 and the pipeline's input shape.
final class ONNXExportTests: XCTestCase {
    func testNotebookModelsMatchOnnxRuntime() throws {
        let generator = RandomGenerator(seed: 21)
        let models: [NotebookModel] = [try ParallelCNNTransformer(generator: generator), try ParallelCNNAttentionLSTM(generator: generator),
                                       try StackedCNNLSTM(generator: generator), try StackedCNNAttentionLSTM(generator: generator)]
        let shapes: [[Int]] = [ParallelCNNTransformer.inputShape, ParallelCNNAttentionLSTM.inputShape,
                               StackedCNNLSTM.inputShape, StackedCNNAttentionLSTM.inputShape]
        try assertMatchesOnnxRuntime(Array(zip(models.map { $0 as Module }, shapes)), generator: generator)
    }

    /// Every other layer type with an ONNX form, in small models ending in (batch, features).
    func testLayersMatchOnnxRuntime() throws {
        let generator = RandomGenerator(seed: 5)
        let models: [(Module, [Int])] = [
            (try Sequential([Conv1d(2, 4, kernelSize: 3, stride: 2, padding: .explicit(height: 0, width: 1), dilation: 1, groups: 2,
                                    generator: generator),
                             MaxPool1d(kernelSize: 3, stride: 2, padding: 1, dilation: 1, ceilMode: true),
                             AvgPool1d(kernelSize: 2, padding: 1, countIncludePad: false), BatchNorm1d(4), Flatten()]), [2, 19]),
            (try Sequential([Conv2d(2, 4, kernel: (3, 2), stride: (1, 1), padding: .same, dilation: (2, 1), groups: 1, bias: false,
                                    generator: generator), BatchNorm2d(4, epsilon: 1e-3),
                             MaxPool2d(kernel: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (1, 1), ceilMode: false),
                             AvgPool2d(kernel: (2, 2), ceilMode: true), AdaptiveAvgPool2d(outputSize: (nil, 2)), Flatten()]), [2, 9, 15]),
            (try Sequential([AdaptiveMaxPool2d(outputSize: (2, 3)), Flatten()]), [2, 4, 6]),
            (try Sequential([LayerNorm([3, 4], epsilon: 1e-4), Flatten(), ReLU(), ActivationLayer(.leakyRelu, slope: 0.2),
                             ActivationLayer(.gelu), ActivationLayer(.tanh), ActivationLayer(.sigmoid), Dropout(0.3),
                             SoftmaxLayer(dim: 1)]), [3, 4]),
            (Sequential([Unsqueeze(1), Permute([0, 2, 1]), Squeeze(2), Reshape([-1, 6])]), [6]),
            (try Sequential([LSTM(inputSize: 4, hiddenSize: 6, numLayers: 2, bidirectional: true, generator: generator), LastStep()]), [5, 4]),
            (try Sequential([Permute([1, 0, 2]), GRU(inputSize: 4, hiddenSize: 3, numLayers: 2, bias: false, batchFirst: false,
                                                     generator: generator),
                             Permute([1, 0, 2]), LastStep()]), [5, 4]),
            (try Sequential([MultiheadAttention(embedDim: 8, numHeads: 2, batchFirst: true, generator: generator),
                             AttentionPooling(features: 8, generator: generator)]), [5, 8]),
            (try Sequential([TransformerEncoder(numLayers: 2) {
                try TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16, layerNormEpsilon: 1e-6, batchFirst: true,
                                            normFirst: true, generator: generator)
            }, MeanOverDim(1)]), [4, 8]),
            (Sequential([TimeDistributed(Parallel([try Linear(3, 2, generator: generator), try Linear(3, 1, bias: false, generator: generator)],
                                                  dim: -1)), Flatten()]), [4, 3]),
            (Sequential([Ensemble([Residual(try Conv1d(3, 3, kernelSize: 3, padding: .explicit(height: 0, width: 2), dilation: 2,
                                                       generator: generator)),
                                   try Conv1d(3, 3, kernelSize: 1, generator: generator)]), MeanOverDim(-1)]), [3, 7]),
        ]
        try assertMatchesOnnxRuntime(models, generator: generator)
    }

    /// A bundle's file takes unscaled features: the scaler (per mel row here) is its first nodes; the
    /// file declares opset 17, the input `features` [N, 1, 16, 63], both outputs and the classes.
    func testBundleExportAppliesTheScalerFirst() throws {
        let generator = RandomGenerator(seed: 3)
        let model = Sequential([try Conv2d(1, 3, kernelSize: 3, padding: 1, generator: generator), try BatchNorm2d(3), ReLU(),
                                try MaxPool2d(kernel: (2, 4), stride: (2, 4)), Flatten(), try Linear(3 * 8 * 15, 3, generator: generator)])
        randomizeNormStatistics(model, generator: generator)
        let mean = (0..<16).map { -60 + Float($0) }, scale = (0..<16).map { 10 + Float($0) / 4 }
        let scaler = try StandardScaler(mode: .perRow, sampleShape: [1, 16, 63], mean: mean, scale: scale)
        let bundle = try ModelBundle(model: model, features: BundleFixture.pipeline, scaler: scaler, classNames: ["calm", "sad", "angry"],
                                     provenance: .init(serscriptVersion: "test"))
        XCTAssertEqual(try ONNXExport.inputShape(of: bundle), [1, 16, 63])
        let data = try ONNXExport.serialize(bundle: bundle)
        let raw = try Tensor.randn([3, 1, 16, 63], mean: -50, std: 15, generator: generator)
        let scaled = try Tensor(shape: raw.shape, values: try (0..<3).flatMap { index in
            try scaler.transform(StoredTensor(shape: [1, 16, 63], values: Array(raw.values[index * 1008..<(index + 1) * 1008]))).values
        })
        let expected = try bundle.makeModel()(scaled)
        let result = try XCTUnwrap(ONNXRuntimeHarness.evaluate([.init(name: "bundle", model: data, inputs: [raw])]).first)
        XCTAssertLessThanOrEqual(maxDifference(result.logits.flatMap { $0 }, expected.values), 1e-4)
        XCTAssertLessThanOrEqual(maxDifference(result.probabilities.flatMap { $0 }, try expected.softmax(dim: 1).values), 1e-5)

        let summary = try XCTUnwrap(result.summary.objectValue)
        XCTAssertEqual(summary["opset"], .array([.object(["domain": .string(""), "version": .number(17)])]))
        XCTAssertEqual(summary["input"], .object(["name": .string("features"),
                                                  "shape": .array([.string("N"), .number(1), .number(16), .number(63)])]))
        XCTAssertEqual(summary["outputs"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue }, ["logits", "probabilities"])
        XCTAssertEqual(summary["metadata"]?.objectValue?["classes"]?.stringValue, #"["calm","sad","angry"]"#)
    }

    func testAnUnsupportedLayerIsNamed() throws {
        let generator = RandomGenerator(seed: 1)
        let reflecting = Sequential([try Conv1d(2, 2, kernelSize: 3, padding: .explicit(height: 0, width: 1), paddingMode: .reflect,
                                                generator: generator), Flatten()])
        XCTAssertThrowsMessage(try ONNXExport.serialize(reflecting, inputShape: [2, 6]), contains: ["0 (Conv1d", "reflect"])
        XCTAssertThrowsMessage(try ONNXExport.serialize(Sequential([Flatten(), Opaque()]), inputShape: [2, 3]),
                               contains: ["1 (Opaque)", "no ONNX export"])
        let projected = Sequential([try LSTM(inputSize: 3, hiddenSize: 4, projSize: 2, generator: generator), LastStep()])
        XCTAssertThrowsMessage(try ONNXExport.serialize(projected, inputShape: [5, 3]), contains: ["0 (LSTM", "proj_size"])
        XCTAssertThrowsMessage(try ONNXExport.serialize(Sequential([Unsqueeze(1)]), inputShape: [3]), contains: ["(batch, classes)", "[2, 1, 3]"])
        XCTAssertThrowsMessage(try ONNXExport.serialize(Sequential([AdaptiveAvgPool2d(outputSize: 2), Flatten()]), inputShape: [1, 5, 4]),
                               contains: ["0 (AdaptiveAvgPool2d", "does not divide"])
        let scaler = try StandardScaler(mode: .perPosition, sampleShape: [4], mean: [0, 0, 0, 0], scale: [1, 1, 1, 1])
        XCTAssertThrowsMessage(try ONNXExport.serialize(Flatten(), inputShape: [3], scaler: scaler), contains: ["[4]", "[3]"])
    }

    // MARK: helpers

    /// Exports each model (eval mode, batch-norm statistics made non-trivial), runs two random
    /// batches (sizes 2 and 1) in onnxruntime and checks the logits against serscript's.
    private func assertMatchesOnnxRuntime(_ models: [(Module, [Int])], generator: RandomGenerator,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        var runs: [ONNXRuntimeHarness.Run] = [], expected: [[Float]] = []
        for (model, shape) in models {
            randomizeNormStatistics(model, generator: generator)
            model.eval()
            let inputs = [try Tensor.randn([2] + shape, generator: generator), try Tensor.randn([1] + shape, generator: generator)]
            runs.append(.init(name: model.typeDescription, model: try ONNXExport.serialize(model, inputShape: shape), inputs: inputs))
            expected.append(try GradMode.withDisabled { try inputs.flatMap { try model($0).values } })
        }
        for ((run, result), want) in zip(zip(runs, try ONNXRuntimeHarness.evaluate(runs)), expected) {
            let difference = maxDifference(result.logits.flatMap { $0 }, want)
            print("ONNX max |logit difference| \(run.name): \(difference)")
            XCTAssertLessThanOrEqual(difference, 1e-4, run.name, file: file, line: line)
        }
    }

    /// Batch-norm running statistics and affine parameters away from their initial 0/1, so a wrong
    /// channel order or a missing statistic shows in the logits.
    private func randomizeNormStatistics(_ model: Module, generator: RandomGenerator) {
        for case let norm as BatchNormLayer in model.namedModules().map(\.module) {
            for (tensor, low, high) in [(norm.runningMean, Float(-0.5), Float(0.5)), (norm.runningVar, 0.5, 2), (norm.weight, 0.5, 1.5),
                                        (norm.bias, -0.3, 0.3)] {
                let values = (0..<tensor.count).map { _ in generator.uniform(low, high) }
                tensor.withUnsafeMutableBufferPointer { buffer in for index in buffer.indices { buffer[index] = values[index] } }
            }
        }
    }

    private func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}

/// A module type the exporter does not know.
private final class Opaque: Module {
    override func forward(_ input: Tensor) throws -> Tensor { input }
}
