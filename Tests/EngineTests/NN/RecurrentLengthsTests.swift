import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// LSTM/GRU `lengths` (padded batches of sequences of different lengths): finite-difference gradients
/// through inputs, initial states and parameters, equality with running each sequence alone on its
/// valid steps, zero padded outputs, and errors.
final class RecurrentLengthsTests: XCTestCase {
    func testGradientsWithLengths() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, generator: RandomGenerator(seed: 1))
        let (x, h0, c0) = (try recurrentInput([3, 4, 3], seed: 2), try recurrentInput([4, 3, 2], seed: 3), try recurrentInput([4, 3, 2], seed: 4))
        try assertRecurrentGradients([x, h0, c0] + lstm.parameters(), "lstm") {
            let out = try lstm.forwardWithState(x, initial: (h0, c0), lengths: [2, 4, 1])
            return [out.sequence, out.hidden, out.cell]
        }
        let projected = try LSTM(inputSize: 3, hiddenSize: 3, batchFirst: false, bidirectional: true, projSize: 2,
                                 generator: RandomGenerator(seed: 5))
        let z = try recurrentInput([4, 2, 3], seed: 6)
        try assertRecurrentGradients([z] + projected.parameters(), "lstm proj") {
            let out = try projected.forwardWithState(z, lengths: [3, 1])
            return [out.sequence, out.hidden, out.cell]
        }
        let gru = try GRU(inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, generator: RandomGenerator(seed: 7))
        let (y, g0) = (try recurrentInput([3, 4, 3], seed: 8), try recurrentInput([4, 3, 2], seed: 9))
        try assertRecurrentGradients([y, g0] + gru.parameters(), "gru") {
            let out = try gru.forwardWithState(y, initial: g0, lengths: [4, 1, 3])
            return [out.sequence, out.hidden]
        }
    }

    /// Each sequence of the batch gives what it gives alone, cut to its length: outputs (zero past the
    /// length), final states, and the gradient reaching its input; padded inputs get no gradient.
    func testABatchWithLengthsIsEachSequenceAlone() throws {
        let lengths = [4, 1, 3], steps = 5
        let networks: [RecurrentNetwork] = [
            try LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, projSize: 2, generator: RandomGenerator(seed: 10)),
            try GRU(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: RandomGenerator(seed: 11)),
        ]
        for network in networks {
            let name = network.typeDescription
            let x = try recurrentInput([3, steps, 3], seed: 12)
            x.requiresGrad = true
            let batch = try network.forwardWithStates(x, initial: nil, lengths: lengths)
            try batch.states.reduce(try batch.sequence.sum()) { try $0 + $1.sum() }.backward()
            let batchGrad = try XCTUnwrap(x.grad).values
            for (b, length) in lengths.enumerated() {
                let alone = try x.detach().select(dim: 0, index: b).slice(dim: 0, start: 0, end: length).unsqueeze(0)
                alone.requiresGrad = true
                let single = try network.forwardWithStates(alone, initial: nil)
                try single.states.reduce(try single.sequence.sum()) { try $0 + $1.sum() }.backward()
                let row = try batch.sequence.select(dim: 0, index: b)
                assertClose(try row.slice(dim: 0, start: 0, end: length).values, single.sequence.values,
                            absolute: 1e-6, relative: 1e-5, "\(name) outputs of \(b)")
                if length < steps {
                    XCTAssertEqual(Set(try row.slice(dim: 0, start: length, end: steps).values), [0], "\(name) padding of \(b)")
                }
                for (state, alone) in zip(batch.states, single.states) {
                    assertClose(try state.select(dim: 1, index: b).values, alone.values, absolute: 1e-6, relative: 1e-5,
                                "\(name) final state of \(b)")
                }
                let width = 3 * steps
                let rowGrad = Array(batchGrad[(b * width)..<((b + 1) * width)])
                assertClose(Array(rowGrad[0..<(length * 3)]), try XCTUnwrap(alone.grad).values, absolute: 1e-5, relative: 1e-4,
                            "\(name) input gradient of \(b)")
                XCTAssertEqual(Set(rowGrad[(length * 3)...]), length < steps ? [0] : [], "\(name) padded input gradient of \(b)")
            }
        }
    }

    func testFullLengthsChangeNothing() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, generator: RandomGenerator(seed: 13))
        let x = try recurrentInput([2, 3, 3], seed: 14)
        let plain = try lstm.forwardWithState(x), full = try lstm.forwardWithState(x, lengths: [3, 3])
        XCTAssertEqual(plain.sequence.values, full.sequence.values)
        XCTAssertEqual(plain.hidden.values, full.hidden.values)
        XCTAssertEqual(plain.cell.values, full.cell.values)
    }

    func testWrongLengthsNameTheLayerAndTheShapes() throws {
        let gru = try GRU(inputSize: 3, hiddenSize: 2)
        let x = try recurrentInput([2, 4, 3], seed: 15)
        func message(_ lengths: [Int]) -> String { thrownMessage { try gru.forward(x, lengths: lengths) } }
        XCTAssertTrue(message([1, 2, 3]).contains("one length per sequence: 2 for input [2, 4, 3], got 3"), message([1, 2, 3]))
        XCTAssertTrue(message([0, 2]).contains("lengths must lie in 1...4"), message([0, 2]))
        XCTAssertTrue(message([5, 2]).contains("got 5 for sequence 0"), message([5, 2]))
        XCTAssertTrue(message([5, 2]).contains("GRU"), message([5, 2]))
    }
}
