import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// Architecture descriptions, bundle files and their refusals.
final class ModelBundleTests: XCTestCase {
    /// Every layer type the language builds, rebuilt from its JSON description with the original's
    /// weights, gives the original's outputs exactly (eval mode).
    func testEveryLayerTypeRebuildsFromItsDescription() throws {
        let generator = RandomGenerator(seed: 11)
        let layers: [(Module, [Int])] = [
            (try Linear(6, 3, bias: false, generator: generator), [2, 6]),
            (try Conv1d(2, 4, kernelSize: 3, stride: 2, padding: .explicit(height: 0, width: 1), dilation: 1, groups: 2, paddingMode: .reflect,
                        generator: generator), [2, 2, 9]),
            (try Conv2d(2, 4, kernel: (3, 2), stride: (1, 1), padding: .same, dilation: (2, 1), groups: 1, bias: false,
                        paddingMode: .circular, generator: generator), [1, 2, 7, 6]),
            (try Sequential([MaxPool1d(kernelSize: 3, stride: 2, padding: 1, dilation: 1, ceilMode: true),
                             AvgPool1d(kernelSize: 2, padding: 1, countIncludePad: false)]), [1, 2, 11]),
            (try Sequential([MaxPool2d(kernel: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (1, 1), ceilMode: false),
                             AvgPool2d(kernel: (2, 2), ceilMode: true)]), [1, 2, 8, 9]),
            (try Sequential([AdaptiveAvgPool2d(outputSize: (nil, 3)), AdaptiveMaxPool2d(outputSize: (2, 2))]), [1, 2, 7, 8]),
            (try Sequential([AdaptiveMaxPool1d(outputSize: 4), AdaptiveAvgPool1d(outputSize: 2)]), [2, 3, 9]),
            (try Sequential([BatchNorm2d(2, momentum: 0.2, epsilon: 1e-3), Flatten(startDim: 1, endDim: 2), BatchNorm1d(10)]), [3, 2, 5, 4]),
            (try LayerNorm([3, 4], epsilon: 1e-4, elementwiseAffine: true), [2, 3, 4]),
            (Sequential([ReLU(), ActivationLayer(.leakyRelu, slope: 0.2), ActivationLayer(.gelu), ActivationLayer(.tanh),
                         ActivationLayer(.sigmoid), SoftmaxLayer(dim: 1), try Dropout(0.3)]), [2, 5]),
            (Sequential([Unsqueeze(1), Permute([0, 2, 1]), Reshape([-1, 6]), Squeeze(0), MeanOverDim(0)]), [1, 6]),
            (try Sequential([LSTM(inputSize: 4, hiddenSize: 6, numLayers: 2, bias: true, batchFirst: true, dropout: 0.1,
                                  bidirectional: true, projSize: 3, generator: generator), LastStep()]), [2, 5, 4]),
            (try GRU(inputSize: 4, hiddenSize: 3, numLayers: 1, bias: false, batchFirst: false, generator: generator), [5, 2, 4]),
            (try Sequential([MultiheadAttention(embedDim: 8, numHeads: 2, dropout: 0.1, bias: false, kdim: 8, vdim: 8, batchFirst: true,
                                                generator: generator), AttentionPooling(features: 8, generator: generator)]), [2, 5, 8]),
            (try TransformerEncoder(numLayers: 2) {
                try TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16, dropout: 0.2, layerNormEpsilon: 1e-6,
                                            batchFirst: true, normFirst: true, generator: generator)
            }, [2, 4, 8]),
            (TimeDistributed(Parallel([try Linear(3, 2, generator: generator), try Linear(3, 1, generator: generator)], dim: -1)), [2, 4, 3]),
            (Ensemble([Residual(try Conv1d(3, 3, kernelSize: 3, padding: .explicit(height: 0, width: 2), dilation: 2, generator: generator)),
                       try Conv1d(3, 3, kernelSize: 1, generator: generator)]), [2, 3, 7]),
        ]
        for (original, shape) in layers {
            try assertRebuilds(original, inputShape: shape)
        }
    }

    func testNotebookModelsRebuildByName() throws {
        let models: [(NotebookModel, [Int])] = [(try ParallelCNNTransformer(numEmotions: 5), [1, 1, 128, 563]),
                                                (try StackedCNNLSTM(numEmotions: 4), [1, 7, 1, 128, 128])]
        for (model, shape) in models {
            XCTAssertEqual(try ModuleDescription.describe(model), .notebook(name: String(describing: type(of: model)),
                                                                            classes: shape.count == 4 ? 5 : 4))
            try assertRebuilds(model, inputShape: shape)
        }
        for name in ["ParallelCNNAttentionLSTM", "StackedCNNAttentionLSTM"] {
            let built = try ModuleDescription.notebook(name: name, classes: 3).build()
            XCTAssertEqual(try ModuleDescription.describe(built), .notebook(name: name, classes: 3))
        }
    }

    func testADescriptionFaultNamesThePlace() throws {
        let text = #"{"sequential":{"layers":[{"linear":{"inFeatures":3,"bias":true}}]}}"#
        XCTAssertThrowsMessage(try ModuleDescription(json: text), contains: ["layers[0].linear", "outFeatures"])
        XCTAssertThrowsMessage(try ModuleDescription(json: #"{"warp":{}}"#), contains: ["architecture"])
        XCTAssertThrowsMessage(try ModuleDescription.activation(kind: "Swish", slope: 0).build(), contains: ["Swish", "GELU"])
        XCTAssertThrowsMessage(try ModuleDescription.describe(Opaque()), contains: ["Opaque", "no architecture description"])
    }

    func testBundleFileRoundTripKeepsEveryPiece() throws {
        let tree = try TemporaryTree()
        let bundle = try BundleFixture.bundle()
        let path = tree.path("model.safetensors")
        try bundle.write(path: path)
        let read = try ModelBundle.read(path: path)
        XCTAssertEqual(read.architecture, bundle.architecture)
        XCTAssertEqual(read.weights, bundle.weights)
        XCTAssertEqual(read.features, bundle.features)
        XCTAssertEqual(read.features.json, bundle.features.json)
        XCTAssertEqual(read.scaler, bundle.scaler)
        XCTAssertEqual(read.classNames, ["calm", "sad", "angry"])
        XCTAssertEqual(read.provenance, bundle.provenance)
        let input = try Tensor.randn([2, 1, 16, 63], generator: RandomGenerator(seed: 2))
        XCTAssertEqual(try read.makeModel()(input).values, try bundle.makeModel()(input).values)
    }

    func testAMissingPieceIsNamed() throws {
        let tree = try TemporaryTree()
        let path = tree.path("model.safetensors")
        try BundleFixture.bundle().write(path: path)
        var file = try SafeTensors.read(path: path)
        file.metadata["features"] = nil
        file.metadata["scaler"] = nil
        try file.write(path: path)
        XCTAssertThrowsMessage(try ModelBundle.read(path: path), contains: ["model.safetensors", "incomplete model bundle", "missing features, scaler"])
        file.tensors = file.tensors.filter { !$0.key.hasPrefix("model.") }
        try file.write(path: path)
        XCTAssertThrowsMessage(try ModelBundle.read(path: path), contains: ["missing weights, features, scaler"])
    }

    func testAnotherFormatVersionAndACheckpointAreRefused() throws {
        let tree = try TemporaryTree()
        let path = tree.path("model.safetensors")
        try BundleFixture.bundle().write(path: path)
        var file = try SafeTensors.read(path: path)
        file.metadata["format"] = "serscript-bundle-2"
        try file.write(path: path)
        XCTAssertThrowsMessage(try ModelBundle.read(path: path), contains: ["model bundle format 2", "serscript 9.9.9", "reads format 1"])
        let checkpoint = tree.path("checkpoint.safetensors")
        try Checkpoint(weights: ["w": StoredTensor(shape: [1], values: [1])], classNames: ["a"]).write(path: checkpoint)
        XCTAssertThrowsMessage(try ModelBundle.read(path: checkpoint), contains: ["training checkpoint, not a model bundle", "architecture", "features:"])
    }

    func testWeightsThatDoNotFitTheArchitectureAreNamed() throws {
        let tree = try TemporaryTree()
        var bundle = try BundleFixture.bundle()
        bundle.weights["1.weight"] = StoredTensor(shape: [2, 2], values: [0, 0, 0, 0])
        try bundle.write(path: tree.path("b.safetensors"))
        XCTAssertThrowsMessage(try BundlePredictor(path: tree.path("b.safetensors")), contains: ["b.safetensors", "1.weight"])
    }

    private func assertRebuilds(_ original: Module, inputShape: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let description = try ModuleDescription.describe(original)
        let rebuilt = try ModuleDescription(json: try description.json()).build()
        XCTAssertEqual(try ModuleDescription.describe(rebuilt), description, file: file, line: line)
        try rebuilt.loadStateDict(original.stateDict())
        original.eval()
        rebuilt.eval()
        let input = try Tensor.randn(inputShape, generator: RandomGenerator(seed: 5))
        let expected = try original(input).values, actual = try rebuilt(input).values
        XCTAssertEqual(actual, expected, "\(original.typeDescription)", file: file, line: line)
    }
}

/// A module type the Engine cannot describe.
private final class Opaque: Module {}

/// A small bundle over 0.5 s of 16 kHz audio: 16 log-mel bins × 63 frames → a linear layer over 3 classes.
enum BundleFixture {
    static let pipeline = FeaturePipeline(load: AudioLoadSpec(sampleRate: 16000, offset: 0, duration: 0.5, pad: true),
                                          recipe: .logmel(MelSpectrogramOptions(nFFT: 256, hopLength: 128, nMels: 16), ref: .max, topDb: 80))

    static func bundle() throws -> ModelBundle {
        let generator = RandomGenerator(seed: 7)
        let model = Sequential([Flatten(), try Linear(16 * 63, 3, generator: generator)])
        let count = 16 * 63
        let scaler = try StandardScaler(mode: .perPosition, sampleShape: [1, 16, 63], mean: [Float](repeating: -40, count: count),
                                        scale: [Float](repeating: 20, count: count))
        return try ModelBundle(model: model, features: pipeline, scaler: scaler, classNames: ["calm", "sad", "angry"],
                               provenance: .init(serscriptVersion: "9.9.9", corpus: DataFingerprint(source: "test", files: 2, bytes: 10, digest: "ab"),
                                                 metrics: ["accuracy": 0.5], created: "2026-01-01T00:00:00Z"))
    }

    /// `seconds` of a 220 Hz tone with a slow vibrato at `rate`, loud enough to matter.
    static func tone(seconds: Double, rate: Int) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { index in
            let t = Double(index) / Double(rate)
            return Float(0.4 * sin(2 * .pi * 220 * t + 3 * sin(2 * .pi * 2 * t)))
        }
    }
}
