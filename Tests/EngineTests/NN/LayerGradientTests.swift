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

/// Finite-difference checks of every layer type through the Module API: the input and every
/// parameter are perturbed, the analytic gradients come from `backward()`.
final class LayerGradientTests: XCTestCase {
    private func input(_ shape: [Int], seed: UInt64 = 1, low: Float = -1, high: Float = 1) throws -> Tensor {
        try Tensor.uniform(shape, low: low, high: high, generator: RandomGenerator(seed: seed))
    }

    /// Checks `module` on `x` with respect to `x` (when `throughInput`) and all parameters.
    private func check(_ module: Module, _ x: Tensor, throughInput: Bool = true, epsilon: Float = 1e-3,
                       before: () -> Void = {}, file: StaticString = #filePath, line: UInt = #line) throws {
        let parameters = module.parameters()
        let inputs = (throughInput ? [x] : []) + parameters
        let report = try GradientCheck.check(inputs, epsilon: epsilon, absoluteTolerance: 2e-3, relativeTolerance: 5e-3) { _ in
            before()
            return try module(x)
        }
        XCTAssertTrue(report.passed, "\(module.typeDescription): \(report)", file: file, line: line)
        if !throughInput { x.requiresGrad = false }
    }

    func testLinear() throws {
        try check(Linear(5, 3, generator: RandomGenerator(seed: 2)), input([2, 4, 5]))
        try check(Linear(4, 2, bias: false, generator: RandomGenerator(seed: 3)), input([3, 4]))
    }

    func testConvolutions() throws {
        try check(Conv2d(2, 3, kernel: (3, 2), stride: (2, 1), padding: (1, 1), generator: RandomGenerator(seed: 4)),
                  input([2, 2, 5, 6]))
        try check(Conv2d(1, 2, kernelSize: 3, padding: 1, generator: RandomGenerator(seed: 5)), input([2, 1, 4, 4]))
        try check(Conv1d(3, 2, kernelSize: 3, stride: 2, padding: 1, generator: RandomGenerator(seed: 6)), input([2, 3, 7]))
    }

    func testPooling() throws {
        try check(MaxPool2d(kernel: (2, 4), stride: (2, 4)), input([2, 2, 4, 9]))
        try check(AvgPool2d(kernel: (3, 2), stride: (1, 2)), input([2, 1, 5, 6]))
        try check(MaxPool2d(kernelSize: 2), input([3, 4, 6]))   // unbatched (C, H, W)
    }

    func testConvolutionOptions() throws {
        try check(Conv2d(2, 3, kernel: (2, 3), stride: (1, 2), padding: (2, 1), dilation: (2, 2), generator: RandomGenerator(seed: 30)),
                  input([2, 2, 5, 7]))
        try check(Conv2d(4, 6, kernelSize: 3, padding: 1, groups: 2, generator: RandomGenerator(seed: 31)), input([2, 4, 4, 5]))
        try check(Conv2d(3, 3, kernelSize: 3, padding: .same, dilation: 2, groups: 3, generator: RandomGenerator(seed: 32)),
                  input([2, 3, 5, 6]))   // depthwise, dilated, "same"
        try check(Conv2d(2, 2, kernel: (2, 4), padding: .same, generator: RandomGenerator(seed: 33)), input([1, 2, 4, 5]))
        for mode in [PaddingMode.reflect, .replicate, .circular] {
            try check(Conv2d(2, 2, kernel: (3, 2), padding: (1, 2), paddingMode: mode, generator: RandomGenerator(seed: 34)),
                      input([2, 2, 4, 5]))
        }
        try check(Conv1d(4, 2, kernelSize: 2, padding: .same, dilation: 3, groups: 2, paddingMode: .reflect,
                         generator: RandomGenerator(seed: 35)), input([2, 4, 7]))
    }

    func testPoolingOptions() throws {
        try check(MaxPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true), input([2, 2, 6, 7]))
        // Seeds whose inputs hold no two values within the finite-difference step in one window.
        try check(MaxPool2d(kernel: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 2)), input([2, 1, 6, 7], seed: 5))
        try check(AvgPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true), input([2, 2, 6, 7]))
        try check(AvgPool2d(kernel: (3, 2), stride: (2, 1), padding: (1, 1), ceilMode: true, countIncludePad: false),
                  input([1, 2, 6, 5]))
        try check(MaxPool1d(kernelSize: 3, stride: 2, padding: 1, dilation: 2, ceilMode: true), input([2, 3, 9], seed: 6))
        try check(AvgPool1d(kernelSize: 4, stride: 3, padding: 2, countIncludePad: false), input([3, 8]))   // unbatched (C, L)
        try check(AdaptiveAvgPool2d(outputSize: (3, 2)), input([2, 2, 7, 5]))
        try check(AdaptiveAvgPool1d(outputSize: 5), input([2, 3, 4]))   // more outputs than inputs: windows overlap
        try check(AdaptiveAvgPool2d(outputSize: (nil, 2)), input([3, 4, 5]))   // unbatched, height kept
        try check(AdaptiveMaxPool2d(outputSize: (3, 2)), input([2, 2, 7, 5]))
        try check(AdaptiveMaxPool1d(outputSize: 6), input([2, 3, 4]))   // overlapping windows share winners
        try check(AdaptiveMaxPool2d(outputSize: (2, nil)), input([3, 5, 4]))   // unbatched, width kept
    }

    func testBatchNormInTrainingAndEval() throws {
        for module in [try BatchNorm2d(3) as Module, try BatchNorm1d(3)] {
            let x = try input(module is BatchNorm2d ? [4, 3, 2, 3] : [5, 3], low: -2, high: 2)
            let norm = try XCTUnwrap(module as? BatchNormLayer)
            norm.weight.withUnsafeMutableBufferPointer { $0.update(from: [0.5, -1.2, 2]) }
            norm.bias.withUnsafeMutableBufferPointer { $0.update(from: [0.1, 0.2, -0.3]) }
            try check(module, x)
            module.eval()
            try check(module, x)
        }
        try check(BatchNorm1d(2), input([3, 2, 4]))
    }

    func testLayerNorm() throws {
        let norm = try LayerNorm(4)
        try norm.loadStateDict(["weight": StoredTensor(shape: [4], values: [1.5, -0.5, 1, 2]),
                                "bias": StoredTensor(shape: [4], values: [0, 0.1, 0.2, 0.3])])
        try check(norm, input([3, 2, 4], low: -2, high: 2))
        try check(LayerNorm([2, 3]), input([2, 2, 3]))
    }

    func testDropoutWithFixedMask() throws {
        let generator = RandomGenerator(seed: 9)
        let dropout = try Dropout(0.4, generator: generator)
        try check(dropout, input([4, 5])) { generator.reseed(9) }
        let kept = try dropout(Tensor.ones([1000])).values
        XCTAssertTrue(kept.allSatisfy { $0 == 0 || abs($0 - 1 / 0.6) < 1e-6 })
        XCTAssertEqual(Float(kept.filter { $0 == 0 }.count) / 1000, 0.4, accuracy: 0.06)
        dropout.eval()
        XCTAssertEqual(try dropout(Tensor.ones([10])).values, [Float](repeating: 1, count: 10))
    }

    func testLSTMVariants() throws {
        try check(LSTM(inputSize: 3, hiddenSize: 2, generator: RandomGenerator(seed: 10)), input([2, 4, 3]))
        try check(LSTM(inputSize: 3, hiddenSize: 2, bidirectional: true, generator: RandomGenerator(seed: 11)), input([2, 3, 3]))
        try check(LSTM(inputSize: 3, hiddenSize: 2, bias: false, bidirectional: true, generator: RandomGenerator(seed: 20)),
                  input([2, 3, 3]))
        try check(LSTM(inputSize: 2, hiddenSize: 2, numLayers: 2, batchFirst: false, bidirectional: true,
                       generator: RandomGenerator(seed: 12)), input([3, 2, 2]))
    }

    func testLSTMFinalHiddenStateCarriesGradient() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 2, bidirectional: true, generator: RandomGenerator(seed: 13))
        let x = try input([2, 4, 3])
        let report = try GradientCheck.check([x] + lstm.parameters(), epsilon: 1e-3, absoluteTolerance: 2e-3,
                                             relativeTolerance: 5e-3) { xs in try lstm.forwardWithState(xs[0]).hidden }
        XCTAssertTrue(report.passed, "\(report)")
        let out = try lstm.forwardWithState(x)
        XCTAssertEqual(out.hidden.shape, [2, 2, 2])
        XCTAssertEqual(out.cell.shape, [2, 2, 2])
        // Forward direction's final state is the last step; the reverse direction's is step 0.
        XCTAssertEqual(try out.hidden.select(dim: 0, index: 0).values,
                       try out.sequence.select(dim: 1, index: 3).slice(dim: 1, start: 0, end: 2).values)
        XCTAssertEqual(try out.hidden.select(dim: 0, index: 1).values,
                       try out.sequence.select(dim: 1, index: 0).slice(dim: 1, start: 2, end: 4).values)
    }

    func testAttentionPoolingAndWeights() throws {
        let pooling = try AttentionPooling(features: 3, generator: RandomGenerator(seed: 14))
        try check(pooling, input([2, 5, 3]))
        let weights = try XCTUnwrap(pooling.lastWeights)
        XCTAssertEqual(weights.shape, [2, 1, 5])
        for b in 0..<2 { XCTAssertEqual(weights.values[(b * 5)..<(b * 5 + 5)].reduce(0, +), 1, accuracy: 1e-5) }
    }

    func testMultiheadAttentionBothLayouts() throws {
        let sequenceFirst = try MultiheadAttention(embedDim: 4, numHeads: 2, generator: RandomGenerator(seed: 15))
        try randomiseBiases(sequenceFirst)
        try check(sequenceFirst, input([3, 2, 4]))
        let batchFirst = try MultiheadAttention(embedDim: 4, numHeads: 2, batchFirst: true, generator: RandomGenerator(seed: 15))
        try randomiseBiases(batchFirst)
        try check(batchFirst, input([2, 3, 4]))
        // Same weights, transposed layout → transposed output.
        let x = try input([3, 2, 4], seed: 16)
        let a = try sequenceFirst(x), b = try batchFirst(x.permute([1, 0, 2]))
        assertClose(a.values, try b.permute([1, 0, 2]).values, absolute: 1e-6, relative: 1e-5, "layouts agree")
    }

    func testMultiheadAttentionCrossAndMasked() throws {
        let padding = try AttentionMask.keyPadding(lengths: [5, 3], keyLength: 5)
        // Query i may not see keys after i + 2; with the padding every query still sees a key.
        let blocked = try AttentionMask(blocked: (0..<3).map { i in (0..<5).map { $0 > i + 2 } })
        let additive = try AttentionMask(additive: input([3, 5], seed: 25, low: -2, high: 2))
        let masks: [(AttentionMask?, AttentionMask?)] = [(nil, nil), (padding, nil), (nil, blocked), (padding, blocked), (padding, additive)]

        // Separate query, key and value, sequence first: query (3, 2, 4), key and value (5, 2, 4).
        let attention = try MultiheadAttention(embedDim: 4, numHeads: 2, generator: RandomGenerator(seed: 21))
        try randomiseBiases(attention)
        let (query, key, value) = (try input([3, 2, 4], seed: 22), try input([5, 2, 4], seed: 23), try input([5, 2, 4], seed: 24))
        for (keyPaddingMask, attnMask) in masks {
            let report = try GradientCheck.check([query, key, value] + attention.parameters(), epsilon: 1e-3,
                                                 absoluteTolerance: 2e-3, relativeTolerance: 5e-3) { _ in
                try attention(query, key, value, keyPaddingMask: keyPaddingMask, attnMask: attnMask)
            }
            XCTAssertTrue(report.passed, "cross, padding \(keyPaddingMask != nil), attnMask \(attnMask?.isBoolean.description ?? "none"): \(report)")
        }

        // Key and value one tensor (the packed key/value projection), batch first.
        let batchFirst = try MultiheadAttention(embedDim: 4, numHeads: 2, batchFirst: true, generator: RandomGenerator(seed: 26))
        try randomiseBiases(batchFirst)
        let (q, memory) = (try input([2, 3, 4], seed: 27), try input([2, 5, 4], seed: 28))
        let kv = try GradientCheck.check([q, memory] + batchFirst.parameters(), epsilon: 1e-3,
                                         absoluteTolerance: 2e-3, relativeTolerance: 5e-3) { _ in
            try batchFirst(q, memory, memory, keyPaddingMask: padding, attnMask: additive)
        }
        XCTAssertTrue(kv.passed, "key = value: \(kv)")

        // Self-attention with a causal mask and padding (the packed projection).
        let x = try input([2, 5, 4], seed: 29)
        let causal = try AttentionMask(blocked: (0..<5).map { i in (0..<5).map { $0 > i } })
        let masked = try GradientCheck.check([x] + batchFirst.parameters(), epsilon: 1e-3,
                                             absoluteTolerance: 2e-3, relativeTolerance: 5e-3) { _ in
            try batchFirst(x, x, x, keyPaddingMask: padding, attnMask: causal)
        }
        XCTAssertTrue(masked.passed, "masked self-attention: \(masked)")
    }

    func testTransformerEncoderWithMasks() throws {
        let encoder = try TransformerEncoder(numLayers: 2) {
            try TransformerEncoderLayer(dModel: 4, numHeads: 2, dimFeedforward: 5, dropout: 0, batchFirst: true,
                                        generator: RandomGenerator(seed: 30))
        }
        try randomiseBiases(encoder)
        let x = try input([2, 4, 4], seed: 31)
        let padding = try AttentionMask.keyPadding(lengths: [4, 2], keyLength: 4)
        let causal = try AttentionMask(blocked: (0..<4).map { i in (0..<4).map { $0 > i } })
        let report = try GradientCheck.check([x] + encoder.parameters(), epsilon: 1e-3,
                                             absoluteTolerance: 2e-3, relativeTolerance: 5e-3) { _ in
            try encoder(x, mask: causal, srcKeyPaddingMask: padding)
        }
        XCTAssertTrue(report.passed, "\(report)")
    }

    func testTransformerEncoderLayers() throws {
        for normFirst in [false, true] {
            let layer = try TransformerEncoderLayer(dModel: 4, numHeads: 2, dimFeedforward: 6, dropout: 0,
                                                    normFirst: normFirst, generator: RandomGenerator(seed: 17))
            try randomiseBiases(layer)
            try check(layer, input([3, 2, 4]))
        }
        let encoder = try TransformerEncoder(numLayers: 2) {
            try TransformerEncoderLayer(dModel: 4, numHeads: 1, dimFeedforward: 5, dropout: 0, generator: RandomGenerator(seed: 18))
        }
        try check(encoder, input([2, 3, 4]))
    }

    func testContainersAndShapeModules() throws {
        let generator = RandomGenerator(seed: 19)
        // (ReLU's kink is left to the tensor branch's checks: a perturbed value may cross it.)
        let sequential = Sequential([try Conv2d(1, 2, kernelSize: 3, padding: 1, generator: generator),
                                     try MaxPool2d(kernelSize: 2), Flatten(), try Linear(8, 3, generator: generator)])
        try check(sequential, input([2, 1, 4, 4], low: 0.1, high: 1))
        let parallel = Parallel([try Linear(3, 2, generator: generator), Sequential([MeanOverDim(1), Unsqueeze(1)]),
                                 Sequential([Unsqueeze(2), Squeeze(2)])], dim: 1)
        try check(parallel, input([2, 3]))
        XCTAssertEqual(try parallel(input([2, 3])).shape, [2, 2 + 1 + 3])
        let distributed = TimeDistributed(try Conv2d(1, 2, kernelSize: 2, generator: generator))
        try check(distributed, input([2, 3, 1, 3, 3]))
        XCTAssertEqual(try distributed(input([2, 3, 1, 3, 3])).shape, [2, 3, 2, 2, 2])
        try check(Sequential([Permute([0, 2, 1]), Reshape([2, -1]), try Linear(6, 2, generator: generator)]), input([2, 3, 2]))
    }

    func testEnsembleAveragesProbabilities() throws {
        let generator = RandomGenerator(seed: 24)
        let members = [try Linear(4, 3, generator: generator), try Linear(4, 3, generator: generator)]
        let ensemble = Ensemble(members)
        try check(ensemble, input([2, 4]))
        let x = try input([2, 4], seed: 6)
        let first = try members[0](x).softmax(dim: -1).values, second = try members[1](x).softmax(dim: -1).values
        let output = try ensemble(x).values
        for i in output.indices {
            XCTAssertEqual(output[i], Foundation.log((first[i] + second[i]) / 2), accuracy: 1e-5)
        }
        XCTAssertThrowsError(try Ensemble([])(x))
    }

    func testResidualAddsTheSkipPath() throws {
        let generator = RandomGenerator(seed: 23)
        let inner = try Conv1d(3, 3, kernelSize: 3, padding: 2, dilation: 2, generator: generator)
        let residual = Residual(inner)
        try check(residual, input([2, 3, 6]))
        let x = try input([2, 3, 6], seed: 4)
        let expected = try x + (try inner(x))
        XCTAssertEqual(try residual(x).values, expected.values)
        XCTAssertEqual(residual.namedParameters().map(\.name), ["module.weight", "module.bias"])
        XCTAssertThrowsError(try Residual(try Conv1d(3, 2, kernelSize: 1, generator: generator))(x)) { error in
            XCTAssertTrue("\(error)".contains("[2, 3, 6]") && "\(error)".contains("[2, 2, 6]"), "\(error)")
        }
    }

    /// PyTorch starts attention biases at zero; random ones make their gradient checks meaningful.
    private func randomiseBiases(_ module: Module) throws {
        let generator = RandomGenerator(seed: 99)
        for (name, tensor) in module.namedParameters() where name.hasSuffix("bias") {
            tensor.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: -0.5, high: 0.5) }
        }
    }
}
