import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// PyTorch parity of LSTM/GRU on padded batches with per-sequence lengths (fixtures from the
/// "Variable-length sequences" section of `Tests/Fixtures/torch/generate.py`, run there through
/// `pack_padded_sequence(enforce_sorted=False)` / `pad_packed_sequence(total_length=T)`), and on
/// unbatched input.
extension TorchParityTests.Fixture {
    /// The fixture's `lengths` (stored as float32).
    func lengths() throws -> [Int] { try tensor("lengths").values.map { Int($0) } }
}

extension TorchParityTests {
    func testLSTMWithLengths() throws {
        try checkLSTM("lstm_lengths", LSTM(inputSize: 6, hiddenSize: 4, numLayers: 2, bidirectional: true),
                      initialStates: false, lengths: true)
        try checkLSTM("lstm_lengths_proj_initial_state",
                      LSTM(inputSize: 6, hiddenSize: 5, numLayers: 2, bidirectional: true, projSize: 3),
                      initialStates: true, lengths: true)
    }

    func testGRUWithLengths() throws {
        try checkGRU("gru_lengths_seq_first", GRU(inputSize: 6, hiddenSize: 4, numLayers: 2, batchFirst: false, bidirectional: true),
                     initialState: true, lengths: true)
    }

    func testUnbatchedLSTM() throws {
        try checkLSTM("lstm_unbatched", LSTM(inputSize: 6, hiddenSize: 4, numLayers: 2, batchFirst: false, bidirectional: true),
                      initialStates: true)
    }
}
