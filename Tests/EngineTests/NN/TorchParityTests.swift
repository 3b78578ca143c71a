import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import Foundation
import XCTest

/// Forward and backward parity with PyTorch on identical weights and inputs, from the fixtures that
/// `Tests/Fixtures/torch/generate.py` wrote (loss = Σ out·R (+ Σ h_n·R_h_n + Σ c_n·R_c_n)).
final class TorchParityTests: XCTestCase {
    struct Fixture {
        let name: String
        let tensors: [String: StoredTensor]

        init(_ name: String) throws {
            var url = URL(fileURLWithPath: #filePath)
            while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
            let path = url.appendingPathComponent("Fixtures/torch/\(name).safetensors").path
            self.name = name
            tensors = try SafeTensors.read(path: path).tensors
        }

        func tensor(_ key: String) throws -> Tensor {
            let stored = try XCTUnwrap(tensors[key], "\(name) has no \(key)")
            return try Tensor(shape: stored.shape, values: stored.values)
        }

        /// `param.*` and `buffer.*` entries as a state dict.
        var state: [String: StoredTensor] {
            var state: [String: StoredTensor] = [:]
            for (key, value) in tensors {
                for prefix in ["param.", "buffer."] where key.hasPrefix(prefix) { state[String(key.dropFirst(prefix.count))] = value }
            }
            return state
        }

        /// Loads the weights into `module`; only `num_batches_tracked` (int64, not stored) may be missing.
        func load(into module: Module) throws {
            let state = self.state
            let missing = Set(module.stateDict().keys).subtracting(state.keys)
            XCTAssertTrue(missing.allSatisfy { $0.hasSuffix("num_batches_tracked") }, "\(name): missing \(missing)")
            try module.loadStateDict(state, strict: false)
            XCTAssertTrue(Set(state.keys).isSubset(of: module.stateDict().keys), "\(name): unexpected keys")
        }

        func compare(_ actual: Tensor?, _ key: String, absolute: Float, relative: Float,
                     file: StaticString = #filePath, line: UInt = #line) throws {
            let expected = try XCTUnwrap(tensors[key], "\(name) has no \(key)", file: file, line: line)
            let actual = try XCTUnwrap(actual, "\(name): no value for \(key)", file: file, line: line)
            XCTAssertEqual(actual.shape, expected.shape, "\(name) \(key) shape", file: file, line: line)
            assertClose(actual.values, expected.values, absolute: absolute, relative: relative, "\(name) \(key)",
                        file: file, line: line)
        }

        /// Checks every `grad.<key>` the fixture has against the module's parameter gradients.
        func compareParameterGradients(_ module: Module, absolute: Float, relative: Float,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
            for (key, parameter) in module.namedParameters() where tensors["grad." + key] != nil {
                try compare(parameter.grad, "grad." + key, absolute: absolute, relative: relative, file: file, line: line)
            }
        }
    }

    /// Σ a·b as a differentiable scalar.
    func dot(_ a: Tensor, _ b: Tensor) throws -> Tensor { try (a * b).sum() }

    private func checkSimple(_ name: String, _ module: Module, training: Bool,
                             absolute: Float = 1e-5, relative: Float = 1e-4) throws {
        let fixture = try Fixture(name)
        try fixture.load(into: module)
        module.train(training)
        let x = try fixture.tensor("input")
        x.requiresGrad = true
        let out = try module(x)
        try fixture.compare(out, "out", absolute: absolute, relative: relative)
        try dot(out, fixture.tensor("R")).backward()
        try fixture.compare(x.grad, "grad_input", absolute: absolute, relative: relative)
        try fixture.compareParameterGradients(module, absolute: absolute, relative: relative)
        if let norm = module as? BatchNormLayer, training {
            try fixture.compare(norm.runningMean, "buffer_after.running_mean", absolute: 1e-6, relative: 1e-5)
            try fixture.compare(norm.runningVar, "buffer_after.running_var", absolute: 1e-6, relative: 1e-5)
        }
    }

    func testLinearAndConvolutions() throws {
        try checkSimple("linear", Linear(6, 5), training: true)
        try checkSimple("conv2d_k3_s1_p1", Conv2d(3, 4, kernelSize: 3, stride: 1, padding: 1), training: true)
        try checkSimple("conv2d_k3_s2_p0", Conv2d(3, 4, kernelSize: 3, stride: 2), training: true)
        try checkSimple("conv2d_k3x5_s1_p1", Conv2d(3, 4, kernel: (3, 5), padding: (1, 1)), training: true)
        try checkSimple("conv2d_k3x5_s2_p1", Conv2d(3, 4, kernel: (3, 5), stride: (2, 2), padding: (1, 1)), training: true)
        try checkSimple("conv2d_k3x5_s2x1_p1x2_nobias", Conv2d(3, 4, kernel: (3, 5), stride: (2, 1), padding: (1, 2), bias: false),
                        training: true)
        try checkSimple("conv1d_k3_s1_p1", Conv1d(3, 4, kernelSize: 3, padding: 1), training: true)
        try checkSimple("conv1d_k5_s2_p2", Conv1d(3, 4, kernelSize: 5, stride: 2, padding: 2), training: true)
    }

    func testPooling() throws {
        try checkSimple("maxpool2d_k2x4_s2x4", MaxPool2d(kernel: (2, 4), stride: (2, 4)), training: true)
        try checkSimple("avgpool2d_k2x4_s2x4", AvgPool2d(kernel: (2, 4), stride: (2, 4)), training: true)
        try checkSimple("maxpool2d_k2", MaxPool2d(kernelSize: 2), training: true)
        try checkSimple("avgpool2d_k2", AvgPool2d(kernelSize: 2), training: true)
    }

    func testNormalisation() throws {
        try checkSimple("batchnorm2d_train", BatchNorm2d(3), training: true)
        try checkSimple("batchnorm2d_eval", BatchNorm2d(3), training: false)
        let fixture = try Fixture("batchnorm1d_train")
        let features = try XCTUnwrap(fixture.tensors["param.weight"]?.shape.first)
        try checkSimple("batchnorm1d_train", BatchNorm1d(features), training: true)
        let channels = try XCTUnwrap(Fixture("batchnorm1d_train_3d").tensors["param.weight"]?.shape.first)
        try checkSimple("batchnorm1d_train_3d", BatchNorm1d(channels), training: true)
        try checkSimple("batchnorm1d_eval", BatchNorm1d(try XCTUnwrap(Fixture("batchnorm1d_eval").tensors["param.weight"]?.shape.first)),
                        training: false)
        let width = try XCTUnwrap(Fixture("layernorm").tensors["param.weight"]?.shape)
        try checkSimple("layernorm", LayerNorm(width), training: true)
    }

    func testLSTMAndBidirectionalLSTM() throws {
        for (name, bidirectional) in [("lstm", false), ("lstm_bidirectional", true)] {
            try checkLSTM(name, LSTM(inputSize: 6, hiddenSize: 4, numLayers: 2, bidirectional: bidirectional), initialStates: false)
        }
    }

    func testMultiheadAttentionAndEncoderLayer() throws {
        try checkSimple("multihead_attention", MultiheadAttention(embedDim: 8, numHeads: 2), training: true)
        try checkSimple("transformer_encoder_layer",
                        TransformerEncoderLayer(dModel: 64, numHeads: 4, dimFeedforward: 512, dropout: 0.4), training: false,
                        absolute: 2e-5, relative: 2e-4)
    }

    func testMultiheadAttentionWeightsAndCrossAttention() throws {
        let selfFixture = try Fixture("multihead_attention")
        let selfAttention = try MultiheadAttention(embedDim: 8, numHeads: 2)
        try selfFixture.load(into: selfAttention)
        let x = try selfFixture.tensor("input")
        let (out, weights) = try selfAttention.attentionWithWeights(x, x, x)
        try selfFixture.compare(out, "out", absolute: 1e-5, relative: 1e-4)
        try selfFixture.compare(weights, "attn_weights", absolute: 1e-6, relative: 1e-4)

        let fixture = try Fixture("multihead_attention_cross")
        let attention = try MultiheadAttention(embedDim: 8, numHeads: 2)
        try fixture.load(into: attention)
        let (query, key, value) = (try fixture.tensor("query"), try fixture.tensor("key"), try fixture.tensor("value"))
        for input in [query, key, value] { input.requiresGrad = true }
        let cross = try attention.attentionWithWeights(query, key, value)
        try fixture.compare(cross.output, "out", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(cross.weights, "attn_weights", absolute: 1e-6, relative: 1e-4)
        try dot(cross.output, fixture.tensor("R")).backward()
        try fixture.compare(query.grad, "grad_query", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(key.grad, "grad_key", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(value.grad, "grad_value", absolute: 1e-5, relative: 1e-4)
        try fixture.compareParameterGradients(attention, absolute: 1e-5, relative: 1e-4)
    }

    func testAttentionPooling() throws {
        let fixture = try Fixture("attention_pooling")
        let score = try Linear(8, 1)
        try fixture.load(into: score)
        let x = try fixture.tensor("input")
        x.requiresGrad = true
        let (pooled, weights) = try AttentionPooling.pool(x, score: score)
        try fixture.compare(pooled, "out", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(weights, "attn_weights", absolute: 1e-6, relative: 1e-4)
        try dot(pooled, fixture.tensor("R")).backward()
        try fixture.compare(x.grad, "grad_input", absolute: 1e-5, relative: 1e-4)
        try fixture.compareParameterGradients(score, absolute: 1e-5, relative: 1e-4)
    }

    func testFullParallelCNNTransformer() throws {
        let fixture = try Fixture("parallel_cnn_transformer")
        let model = try ParallelCNNTransformer()
        try fixture.load(into: model)
        model.eval()
        let output = try model.forwardDetailed(fixture.tensor("input"))
        try fixture.compare(output.logits, "logits", absolute: 1e-4, relative: 1e-3)
        try fixture.compare(output.probabilities, "probabilities", absolute: 1e-5, relative: 1e-3)
        try dot(output.logits, fixture.tensor("R")).backward()
        // The conv branch routes gradients through four max-pools over 2·16·128·563 activations; about
        // 25 of its windows hold a runner-up within 1e-5 of the maximum (measured), so float rounding in
        // either library can flip a winner. Its gradients are compared by relative L2 error; every
        // other gradient elementwise.
        for (key, parameter) in model.namedParameters() where fixture.tensors["grad." + key] != nil {
            if key.hasPrefix("conv2Dblock") {
                let expected = try fixture.tensor("grad." + key).values
                let actual = try XCTUnwrap(parameter.grad, key).values
                let error = zip(actual, expected).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                let norm = expected.map { $0 * $0 }.reduce(0, +).squareRoot()
                XCTAssertLessThan(error / norm, 1e-2, key)
            } else {
                try fixture.compare(parameter.grad, "grad." + key, absolute: 1e-5, relative: 1e-4)
            }
        }
        let checked = model.namedParameters().filter { fixture.tensors["grad." + $0.name] != nil }.count
        XCTAssertGreaterThanOrEqual(checked, 4)
    }

    func testModelsMatchTheirPyTorchStateDicts() throws {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        let data = try Data(contentsOf: url.appendingPathComponent("Fixtures/torch/models.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let models: [String: Module] = [
            "parallel_cnn_transformer": try ParallelCNNTransformer(),
            "parallel_cnn_attention_lstm": try ParallelCNNAttentionLSTM(),
            "stacked_cnn_lstm": try StackedCNNLSTM(),
            "stacked_cnn_attention_lstm": try StackedCNNAttentionLSTM(),
        ]
        for (name, model) in models {
            let entry = try XCTUnwrap(json[name] as? [String: Any], "models.json lacks \(name)")
            let expected = try XCTUnwrap(entry["state_dict"] as? [[String: Any]], "\(name) state_dict")
            var shapes: [String: [Int]] = [:]
            for item in expected {
                shapes[try XCTUnwrap(item["key"] as? String)] = try XCTUnwrap(item["shape"] as? [Int])
            }
            let ours = model.stateDict().mapValues(\.shape)
            XCTAssertEqual(ours, shapes, name)
            XCTAssertEqual(model.trainableParameterCount, entry["trainable_parameters"] as? Int, name)
        }
    }
}
