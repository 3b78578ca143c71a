import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// PyTorch parity of the recurrent and attention options: LSTM/GRU initial and final states, GRU,
/// MultiheadAttention `kdim`/`vdim` and `is_causal` (fixtures from the "Recurrent and attention
/// options" section of `Tests/Fixtures/torch/generate.py`).
extension TorchParityTests {
    /// Inputs of a fixture with `requiresGrad`, by name.
    private func inputs(_ fixture: Fixture, _ names: [String]) throws -> [Tensor] {
        try names.map { name in
            let tensor = try fixture.tensor(name)
            tensor.requiresGrad = true
            return tensor
        }
    }

    /// Output, h_n, c_n and every gradient (input, h0 and c0 when given, parameters) of an LSTM fixture,
    /// run on the fixture's `lengths` when `lengths` is set.
    func checkLSTM(_ name: String, _ lstm: LSTM, initialStates: Bool, lengths: Bool = false) throws {
        let fixture = try Fixture(name)
        try fixture.load(into: lstm)
        let xs = try inputs(fixture, initialStates ? ["input", "h0", "c0"] : ["input"])
        let out = try lstm.forwardWithState(xs[0], initial: initialStates ? (xs[1], xs[2]) : nil,
                                            lengths: lengths ? fixture.lengths() : nil)
        try fixture.compare(out.sequence, "out", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(out.hidden, "h_n", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(out.cell, "c_n", absolute: 1e-5, relative: 1e-4)
        let loss = try dot(out.sequence, fixture.tensor("R")) + dot(out.hidden, fixture.tensor("R_h_n"))
            + dot(out.cell, fixture.tensor("R_c_n"))
        try loss.backward()
        for (x, key) in zip(xs, ["grad_input", "grad_h0", "grad_c0"]) {
            try fixture.compare(x.grad, key, absolute: 1e-5, relative: 1e-4)
        }
        try fixture.compareParameterGradients(lstm, absolute: 1e-5, relative: 1e-4)
        XCTAssertEqual(Set(lstm.namedParameters().map { "grad." + $0.0 }), Set(fixture.tensors.keys.filter { $0.hasPrefix("grad.") }))
    }

    func testLSTMWithInitialStates() throws {
        try checkLSTM("lstm_initial_state", LSTM(inputSize: 6, hiddenSize: 4, numLayers: 2, bidirectional: true), initialStates: true)
        try checkLSTM("lstm_initial_state_seq_first", LSTM(inputSize: 6, hiddenSize: 4, numLayers: 2, batchFirst: false),
                      initialStates: true)
    }

    func testLSTMWithProjection() throws {
        let lstm = try LSTM(inputSize: 6, hiddenSize: 5, numLayers: 2, bidirectional: true, projSize: 3)
        XCTAssertEqual(lstm.stateDict()["weight_hr_l1_reverse"]?.shape, [3, 5])
        XCTAssertEqual(lstm.stateDict()["weight_ih_l1"]?.shape, [20, 6])
        try checkLSTM("lstm_proj_size", lstm, initialStates: true)
    }

    func testGRU() throws {
        let cases: [(String, GRU, Bool)] = [
            ("gru", try GRU(inputSize: 6, hiddenSize: 4, numLayers: 2), false),
            ("gru_bidirectional_initial_state", try GRU(inputSize: 6, hiddenSize: 4, numLayers: 2, bidirectional: true), true),
            ("gru_seq_first_nobias", try GRU(inputSize: 6, hiddenSize: 4, bias: false, batchFirst: false), true),
        ]
        for (name, gru, withState) in cases { try checkGRU(name, gru, initialState: withState) }
    }

    /// Output, h_n and every gradient of a GRU fixture, run on the fixture's `lengths` when `lengths` is set.
    func checkGRU(_ name: String, _ gru: GRU, initialState withState: Bool, lengths: Bool = false) throws {
        let fixture = try Fixture(name)
        try fixture.load(into: gru)
        XCTAssertEqual(Set(gru.stateDict().keys), Set(fixture.state.keys), name)
        let xs = try inputs(fixture, withState ? ["input", "h0"] : ["input"])
        let out = try gru.forwardWithState(xs[0], initial: withState ? xs[1] : nil, lengths: lengths ? fixture.lengths() : nil)
        try fixture.compare(out.sequence, "out", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(out.hidden, "h_n", absolute: 1e-5, relative: 1e-4)
        try (dot(out.sequence, fixture.tensor("R")) + dot(out.hidden, fixture.tensor("R_h_n"))).backward()
        for (x, key) in zip(xs, ["grad_input", "grad_h0"]) {
            try fixture.compare(x.grad, key, absolute: 1e-5, relative: 1e-4)
        }
        try fixture.compareParameterGradients(gru, absolute: 1e-5, relative: 1e-4)
    }

    func testMultiheadAttentionWithKeyAndValueWidths() throws {
        let fixture = try Fixture("multihead_attention_kdim_vdim")
        let attention = try MultiheadAttention(embedDim: 8, numHeads: 2, kdim: 6, vdim: 5)
        try fixture.load(into: attention)
        XCTAssertEqual(Set(attention.stateDict().keys), Set(fixture.state.keys))
        let xs = try inputs(fixture, ["query", "key", "value"])
        let (out, weights) = try attention.attentionWithWeights(xs[0], xs[1], xs[2])
        try fixture.compare(out, "out", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(weights, "attn_weights", absolute: 1e-6, relative: 1e-4)
        try dot(out, fixture.tensor("R")).backward()
        for (x, key) in zip(xs, ["grad_query", "grad_key", "grad_value"]) {
            try fixture.compare(x.grad, key, absolute: 1e-5, relative: 1e-4)
        }
        try fixture.compareParameterGradients(attention, absolute: 1e-5, relative: 1e-4)
    }

    func testCausalMultiheadAttention() throws {
        let fixture = try Fixture("multihead_attention_causal")
        let attention = try MultiheadAttention(embedDim: 8, numHeads: 2, batchFirst: true)
        try fixture.load(into: attention)
        let x = try fixture.tensor("input")
        x.requiresGrad = true
        let (out, weights) = try attention.attentionWithWeights(x, x, x, isCausal: true)
        try fixture.compare(out, "out", absolute: 1e-5, relative: 1e-4)
        try fixture.compare(weights, "attn_weights", absolute: 1e-6, relative: 1e-4)
        try dot(out, fixture.tensor("R")).backward()
        try fixture.compare(x.grad, "grad_input", absolute: 1e-5, relative: 1e-4)
        try fixture.compareParameterGradients(attention, absolute: 1e-5, relative: 1e-4)
    }
}
