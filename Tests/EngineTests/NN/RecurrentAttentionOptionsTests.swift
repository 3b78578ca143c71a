import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Recurrent initial/final states, the GRU, and MultiheadAttention `kdim`/`vdim` and `isCausal`:
/// finite-difference gradients through every input (states included) and parameter, facts that need
/// no PyTorch (a state carried across two calls equals one call on the joined sequence), and errors.
final class RecurrentAttentionOptionsTests: XCTestCase {
    func testGRUGradientsInEveryConfiguration() throws {
        let configurations: [(GRU, [Int])] = [
            (try GRU(inputSize: 3, hiddenSize: 2, generator: RandomGenerator(seed: 1)), [2, 4, 3]),
            (try GRU(inputSize: 3, hiddenSize: 2, bias: false, bidirectional: true, generator: RandomGenerator(seed: 2)), [2, 3, 3]),
            (try GRU(inputSize: 2, hiddenSize: 2, numLayers: 2, batchFirst: false, bidirectional: true,
                     generator: RandomGenerator(seed: 3)), [3, 2, 2]),
        ]
        for (index, (gru, shape)) in configurations.enumerated() {
            let x = try recurrentInput(shape, seed: 10 + UInt64(index))
            try assertRecurrentGradients([x] + gru.parameters(), gru.typeDescription) {
                let out = try gru.forwardWithState(x)
                return [out.sequence, out.hidden]
            }
        }
    }

    func testGradientsReachTheInitialStates() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, generator: RandomGenerator(seed: 4))
        let (x, h0, c0) = (try recurrentInput([2, 3, 3], seed: 5), try recurrentInput([4, 2, 2], seed: 6),
                           try recurrentInput([4, 2, 2], seed: 7))
        try assertRecurrentGradients([x, h0, c0] + lstm.parameters(), "lstm") {
            let out = try lstm.forwardWithState(x, initial: (h0, c0))
            return [out.sequence, out.hidden, out.cell]
        }
        let projected = try LSTM(inputSize: 3, hiddenSize: 3, numLayers: 2, batchFirst: false, bidirectional: true, projSize: 2,
                                 generator: RandomGenerator(seed: 30))
        let (z, p0, q0) = (try recurrentInput([3, 2, 3], seed: 31), try recurrentInput([4, 2, 2], seed: 32),
                           try recurrentInput([4, 2, 3], seed: 33))
        try assertRecurrentGradients([z, p0, q0] + projected.parameters(), "lstm proj") {
            let out = try projected.forwardWithState(z, initial: (p0, q0))
            return [out.sequence, out.hidden, out.cell]
        }
        let gru = try GRU(inputSize: 3, hiddenSize: 2, numLayers: 2, batchFirst: false, generator: RandomGenerator(seed: 8))
        let (y, g0) = (try recurrentInput([3, 2, 3], seed: 9), try recurrentInput([2, 2, 2], seed: 10))
        try assertRecurrentGradients([y, g0] + gru.parameters(), "gru") {
            let out = try gru.forwardWithState(y, initial: g0)
            return [out.sequence, out.hidden]
        }
    }

    func testACarriedStateContinuesTheSequence() throws {
        let x = try recurrentInput([2, 6, 3], seed: 11)
        let (first, second) = (try x.slice(dim: 1, start: 0, end: 4), try x.slice(dim: 1, start: 4, end: 6))
        let lstm = try LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, generator: RandomGenerator(seed: 12))
        let whole = try lstm.forwardWithState(x), start = try lstm.forwardWithState(first)
        let rest = try lstm.forwardWithState(second, initial: (start.hidden, start.cell))
        assertClose(rest.sequence.values, try whole.sequence.slice(dim: 1, start: 4, end: 6).values, absolute: 1e-6, relative: 1e-5, "lstm")
        assertClose(rest.cell.values, whole.cell.values, absolute: 1e-6, relative: 1e-5, "lstm cell")
        let gru = try GRU(inputSize: 3, hiddenSize: 4, numLayers: 2, generator: RandomGenerator(seed: 13))
        let gruWhole = try gru.forwardWithState(x)
        let gruRest = try gru.forwardWithState(second, initial: gru.forwardWithState(first).hidden)
        assertClose(gruRest.hidden.values, gruWhole.hidden.values, absolute: 1e-6, relative: 1e-5, "gru")
        // Zero initial states are the default.
        let zeros = try Tensor.zeros([2, 2, 4])
        XCTAssertEqual(try lstm.forwardWithState(x, initial: (zeros, zeros)).sequence.values, whole.sequence.values)
    }

    func testWrongStatesNameTheLayerAndTheShapes() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true)
        let x = try recurrentInput([2, 5, 3], seed: 14)
        let good = try Tensor.zeros([4, 2, 4])
        let badHidden = thrownMessage { try lstm.forwardWithState(x, initial: (Tensor.zeros([2, 2, 4]), good)) }
        XCTAssertTrue(badHidden.contains("LSTM(3 → 4, layers: 2, bidirectional)") && badHidden.contains("initial hidden state")
                      && badHidden.contains("[4, 2, 4] for input [2, 5, 3], got [2, 2, 4]"), badHidden)
        let badCell = thrownMessage { try lstm.forwardWithState(x, initial: (good, Tensor.zeros([4, 5, 4]))) }
        XCTAssertTrue(badCell.contains("initial cell state") && badCell.contains("got [4, 5, 4]"), badCell)
        // Sequence first: the batch is dimension 1 of the input, the states keep (layers·D, B, H).
        let sequenceFirst = try GRU(inputSize: 3, hiddenSize: 4, batchFirst: false)
        let wrongBatch = thrownMessage { try sequenceFirst.forwardWithState(x, initial: Tensor.zeros([1, 2, 4])) }
        XCTAssertTrue(wrongBatch.contains("GRU(3 → 4)") && wrongBatch.contains("[1, 5, 4] for input [2, 5, 3], got [1, 2, 4]"), wrongBatch)
        let count = thrownMessage { try lstm.forwardWithStates(x, initial: [good]) }
        XCTAssertTrue(count.contains("expected 2 initial states (hidden, cell), got 1"), count)
        // With a projection the hidden state has proj features and the cell state keeps hidden ones.
        let projected = try LSTM(inputSize: 3, hiddenSize: 4, projSize: 2)
        let swapped = thrownMessage { try projected.forwardWithState(x, initial: (Tensor.zeros([1, 2, 4]), Tensor.zeros([1, 2, 4]))) }
        XCTAssertTrue(swapped.contains("LSTM(3 → 4, proj: 2)") && swapped.contains("initial hidden state must be (layers·directions, batch, proj) [1, 2, 2]"),
                      swapped)
        XCTAssertEqual(try projected.forwardWithState(x, initial: (Tensor.zeros([1, 2, 2]), Tensor.zeros([1, 2, 4]))).sequence.shape, [2, 5, 2])
        XCTAssertTrue(thrownMessage { try LSTM(inputSize: 3, hiddenSize: 4, projSize: 4) }.contains("projSize must lie in 0..<hiddenSize (4), got 4"))
        XCTAssertTrue(thrownMessage { try GRU(inputSize: 3, hiddenSize: 4, projSize: 2) }.contains("only supported for LSTM"))
    }

    func testKeyAndValueWidths() throws {
        let attention = try MultiheadAttention(embedDim: 4, numHeads: 2, kdim: 3, vdim: 5, batchFirst: true,
                                               generator: RandomGenerator(seed: 15))
        XCTAssertNil(attention.inProjWeight)
        XCTAssertEqual(attention.namedParameters().map(\.0).sorted(),
                       ["in_proj_bias", "k_proj_weight", "out_proj.bias", "out_proj.weight", "q_proj_weight", "v_proj_weight"])
        XCTAssertEqual(attention.stateDict()["k_proj_weight"]?.shape, [4, 3])
        XCTAssertEqual(attention.stateDict()["v_proj_weight"]?.shape, [4, 5])
        for (_, bias) in attention.namedParameters() where bias.rank == 1 {
            bias.withUnsafeMutableBufferPointer { RandomGenerator(seed: 16).fillUniform($0, low: -0.5, high: 0.5) }
        }
        let (query, key, value) = (try recurrentInput([2, 3, 4], seed: 17), try recurrentInput([2, 5, 3], seed: 18),
                                   try recurrentInput([2, 5, 5], seed: 19))
        let padding = try AttentionMask.keyPadding(lengths: [5, 3], keyLength: 5)
        try assertRecurrentGradients([query, key, value] + attention.parameters(), "kdim/vdim") {
            [try attention(query, key, value, keyPaddingMask: padding)]
        }
        let wrongKey = thrownMessage { try attention(query, value, value) }
        XCTAssertTrue(wrongKey.contains("MultiheadAttention(embed: 4, heads: 2, kdim: 3, vdim: 5")
                      && wrongKey.contains("expected query (B, L, 4) and key (B, S, 3) and value (B, S, 5) of one length")
                      && wrongKey.contains("key [2, 5, 5]"), wrongKey)
        let selfAttention = thrownMessage { try attention(query) }
        XCTAssertTrue(selfAttention.contains("key (B, S, 3)") && selfAttention.contains("query [2, 3, 4], key [2, 3, 4]"), selfAttention)
        XCTAssertThrowsError(try MultiheadAttention(embedDim: 4, numHeads: 2, kdim: 0))
    }

    func testCausalIsTheLowerTriangularMask() throws {
        let attention = try MultiheadAttention(embedDim: 4, numHeads: 2, batchFirst: true, generator: RandomGenerator(seed: 20))
        let x = try recurrentInput([2, 5, 4], seed: 21)
        let causal = try attention.attentionWithWeights(x, x, x, isCausal: true)
        let explicit = try attention.attentionWithWeights(x, x, x, attnMask: AttentionMask.causal(queryLength: 5, keyLength: 5))
        XCTAssertEqual(causal.output.values, explicit.output.values)
        let weights = causal.weights.values
        for b in 0..<2 {
            for i in 0..<5 {
                for j in 0..<5 where j > i { XCTAssertEqual(weights[(b * 5 + i) * 5 + j], 0, "query \(i) sees key \(j)") }
            }
        }
        XCTAssertNotEqual(causal.output.values, try attention(x).values)
        // With an attnMask the flag is PyTorch's hint and the given mask is used.
        let open = try AttentionMask(blocked: [[Bool]](repeating: [Bool](repeating: false, count: 5), count: 5))
        XCTAssertEqual(try attention(x, x, x, attnMask: open, isCausal: true).values, try attention(x).values)
        try assertRecurrentGradients([x] + attention.parameters(), "causal") { [try attention(x, x, x, isCausal: true)] }
    }

    /// The encoder passes `isCausal` to every layer: the explicit causal mask's result, and a step's
    /// output does not depend on later steps.
    func testCausalEncoderSeesNoLaterStep() throws {
        let encoder = try TransformerEncoder(numLayers: 2) {
            try TransformerEncoderLayer(dModel: 4, numHeads: 2, dimFeedforward: 8, dropout: 0, batchFirst: true,
                                        generator: RandomGenerator(seed: 22))
        }
        let x = try recurrentInput([2, 5, 4], seed: 23)
        let causal = try encoder(x, isCausal: true)
        XCTAssertEqual(causal.values, try encoder(x, mask: AttentionMask.causal(queryLength: 5, keyLength: 5)).values)
        XCTAssertNotEqual(causal.values, try encoder(x).values)
        let prefix = try encoder(x.slice(dim: 1, start: 0, end: 3), isCausal: true)
        assertClose(prefix.values, try causal.slice(dim: 1, start: 0, end: 3).values, absolute: 1e-6, relative: 1e-5, "prefix")
        try assertRecurrentGradients([x] + encoder.parameters(), "causal encoder") { [try encoder(x, isCausal: true)] }
    }
}

/// Unbatched `(T, features)` input to LSTM/GRU, as PyTorch takes it.
final class RecurrentUnbatchedTests: XCTestCase {
    func testUnbatchedInputIsABatchOfOneWithoutTheBatchDimension() throws {
        let generator = RandomGenerator(seed: 40)
        let x = try Tensor.uniform([5, 3], low: -1, high: 1, generator: generator)
        let (h0, c0) = (try Tensor.uniform([4, 2], low: -1, high: 1, generator: generator),
                        try Tensor.uniform([4, 4], low: -1, high: 1, generator: generator))
        for batchFirst in [true, false] {
            let lstm = try LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, batchFirst: batchFirst, bidirectional: true, projSize: 2,
                                generator: RandomGenerator(seed: 41))
            let single = try lstm.forwardWithState(x, initial: (h0, c0))
            XCTAssertEqual([single.sequence.shape, single.hidden.shape, single.cell.shape], [[5, 4], [4, 2], [4, 4]])
            let batched = try lstm.forwardWithState(x.unsqueeze(batchFirst ? 0 : 1), initial: (h0.unsqueeze(1), c0.unsqueeze(1)))
            XCTAssertEqual(single.sequence.values, batched.sequence.values)
            XCTAssertEqual(single.hidden.values, batched.hidden.values)
            XCTAssertEqual(single.cell.values, batched.cell.values)
        }
        let gru = try GRU(inputSize: 3, hiddenSize: 2, bidirectional: true, generator: RandomGenerator(seed: 42))
        let g0 = try Tensor.uniform([2, 2], low: -1, high: 1, generator: generator)
        x.requiresGrad = true
        g0.requiresGrad = true
        let report = try GradientCheck.check([x, g0] + gru.parameters(), epsilon: 1e-3, absoluteTolerance: 2e-3,
                                             relativeTolerance: 5e-3) { _ in
            let out = try gru.forwardWithState(x, initial: g0, lengths: [3])
            return try Tensor.concat([out.sequence.flatten(), out.hidden.flatten()], dim: 0)
        }
        XCTAssertTrue(report.passed, "\(report)")
    }

    func testUnbatchedInputWithBatchedStatesNamesTheShapes() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 4)
        let states = thrownMessage { try lstm.forwardWithState(Tensor.zeros([5, 3]), initial: (Tensor.zeros([1, 1, 4]), Tensor.zeros([1, 1, 4]))) }
        XCTAssertTrue(states.contains("LSTM(3 → 4)") && states.contains("for unbatched input [5, 3] the initial states must be 2-D")
                      && states.contains("[[1, 4], [1, 4]], got [1, 1, 4]"), states)
        let features = thrownMessage { try lstm.forward(Tensor.zeros([5, 2])) }
        XCTAssertTrue(features.contains("expected unbatched input of shape (T, 3), got [5, 2]"), features)
        let rank = thrownMessage { try lstm.forward(Tensor.zeros([5])) }
        XCTAssertTrue(rank.contains("or unbatched (T, 3), got [5]"), rank)
    }
}
