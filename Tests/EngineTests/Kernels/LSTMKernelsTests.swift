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

final class LSTMKernelsTests: XCTestCase {
    private struct Weights { var wih: [Float]; var whh: [Float]; var bih: [Float]; var bhh: [Float]; var h0: [Float]; var c0: [Float] }

    private struct Run { var gates: [Float]; var cells: [Float]; var output: [Float] }

    private func forward(_ g: RecurrentGeometry, reverse: Bool, _ x: [Float], _ p: Weights) -> Run {
        var run = Run(gates: [Float](repeating: 0, count: g.batch * g.steps * g.gateWidth),
                      cells: [Float](repeating: 0, count: g.batch * g.steps * g.hiddenSize),
                      output: [Float](repeating: 0, count: g.batch * g.steps * g.hiddenSize))
        LSTMKernels.forward(g, reverse: reverse, input: x, weightIH: p.wih, weightHH: p.whh, biasIH: p.bih,
                            biasHH: p.bhh, initialHidden: p.h0, initialCell: p.c0,
                            gates: &run.gates, cells: &run.cells, output: &run.output)
        return run
    }

    /// Scalar reference: one sample, one step at a time, straight from the LSTM equations.
    private func reference(_ g: RecurrentGeometry, reverse: Bool, _ x: [Float], _ p: Weights) -> [Float] {
        let (h, i) = (g.hiddenSize, g.inputSize)
        var out = [Float](repeating: 0, count: g.batch * g.steps * h)
        func sigmoid(_ v: Float) -> Float { 1 / (1 + exp(-v)) }
        for s in 0..<g.batch {
            var hidden = Array(p.h0[(s * h)..<(s * h + h)]), cell = Array(p.c0[(s * h)..<(s * h + h)])
            for t in (reverse ? Array((0..<g.steps).reversed()) : Array(0..<g.steps)) {
                var pre = [Float](repeating: 0, count: 4 * h)
                for row in 0..<(4 * h) {
                    var sum = p.bih[row] + p.bhh[row]
                    for k in 0..<i { sum += p.wih[row * i + k] * x[(s * g.steps + t) * i + k] }
                    for k in 0..<h { sum += p.whh[row * h + k] * hidden[k] }
                    pre[row] = sum
                }
                for j in 0..<h {
                    cell[j] = sigmoid(pre[h + j]) * cell[j] + sigmoid(pre[j]) * tanh(pre[2 * h + j])
                    hidden[j] = sigmoid(pre[3 * h + j]) * tanh(cell[j])
                }
                for j in 0..<h { out[(s * g.steps + t) * h + j] = hidden[j] }
            }
        }
        return out
    }

    private let geometry = RecurrentGeometry.lstm(batch: 2, steps: 4, inputSize: 3, hiddenSize: 2)

    private func weights(_ random: inout TestRandom, _ g: RecurrentGeometry) -> Weights {
        Weights(wih: random.values(g.gateWidth * g.inputSize), whh: random.values(g.gateWidth * g.hiddenSize),
                bih: random.values(g.gateWidth), bhh: random.values(g.gateWidth),
                h0: random.values(g.batch * g.hiddenSize), c0: random.values(g.batch * g.hiddenSize))
    }

    func testForwardMatchesScalarReference() {
        var random = TestRandom(seed: 8)
        let p = weights(&random, geometry)
        let x = random.values(geometry.batch * geometry.steps * geometry.inputSize)
        for reverse in [false, true] {
            assertClose(forward(geometry, reverse: reverse, x, p).output, reference(geometry, reverse: reverse, x, p),
                        absolute: 1e-6, relative: 1e-5, "lstm reverse=\(reverse)")
        }
    }

    func testZeroWeightsGiveClosedFormStates() {
        // All weights zero, biases b: every step sees the same gates, c_t = σ(f)c_{t-1} + σ(i)tanh(g).
        let g = RecurrentGeometry.lstm(batch: 1, steps: 2, inputSize: 1, hiddenSize: 1)
        let p = Weights(wih: [0, 0, 0, 0], whh: [0, 0, 0, 0], bih: [0, 0, 1, 0], bhh: [0, 0, 0, 0], h0: [0], c0: [0])
        let out = forward(g, reverse: false, [3, -3], p).output
        let c1 = 0.5 * tanh(Float(1)), c2 = 0.5 * c1 + c1
        assertClose(out, [0.5 * tanh(c1), 0.5 * tanh(c2)], absolute: 1e-6, relative: 1e-6, "closed form")
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = TestRandom(seed: 9)
        let g = geometry
        let p = weights(&random, g)
        let x = random.values(g.batch * g.steps * g.inputSize)
        let r = random.values(g.batch * g.steps * g.hiddenSize)
        let rh = random.values(g.batch * g.hiddenSize), rc = random.values(g.batch * g.hiddenSize)
        for reverse in [false, true] {
            let last = reverse ? 0 : g.steps - 1
            // Loss = Σ output·r + Σ h_T·rh + Σ c_T·rc, as one flat vector for the numeric check.
            func outputs(_ x: [Float], _ p: Weights) -> [Float] {
                let run = forward(g, reverse: reverse, x, p)
                var finals: [Float] = []
                for s in 0..<g.batch {
                    let at = (s * g.steps + last) * g.hiddenSize
                    finals += run.output[at..<(at + g.hiddenSize)]
                }
                for s in 0..<g.batch {
                    let at = (s * g.steps + last) * g.hiddenSize
                    finals += run.cells[at..<(at + g.hiddenSize)]
                }
                return run.output + finals
            }
            let weightsR = r + rh + rc
            let run = forward(g, reverse: reverse, x, p)
            var dx = [Float](repeating: 0, count: x.count), dwih = [Float](repeating: 0, count: p.wih.count)
            var dwhh = [Float](repeating: 0, count: p.whh.count), db = [Float](repeating: 0, count: g.gateWidth)
            var dh0 = [Float](repeating: 0, count: p.h0.count), dc0 = dh0
            LSTMKernels.backward(g, reverse: reverse, input: x, weightIH: p.wih, weightHH: p.whh,
                                 initialHidden: p.h0, initialCell: p.c0, gates: run.gates, cells: run.cells,
                                 output: run.output, gradOutput: r, gradFinalHidden: rh, gradFinalCell: rc,
                                 gradInput: &dx, gradWeightIH: &dwih, gradWeightHH: &dwhh, gradBias: &db,
                                 gradInitialHidden: &dh0, gradInitialCell: &dc0)
            let tag = "reverse=\(reverse)"
            assertClose(dx, numericGradient(of: x, weights: weightsR) { outputs($0, p) }, "dx \(tag)")
            assertClose(dwih, numericGradient(of: p.wih, weights: weightsR) { var q = p; q.wih = $0; return outputs(x, q) }, "dWih \(tag)")
            assertClose(dwhh, numericGradient(of: p.whh, weights: weightsR) { var q = p; q.whh = $0; return outputs(x, q) }, "dWhh \(tag)")
            assertClose(db, numericGradient(of: p.bih, weights: weightsR) { var q = p; q.bih = $0; return outputs(x, q) }, "db_ih \(tag)")
            assertClose(db, numericGradient(of: p.bhh, weights: weightsR) { var q = p; q.bhh = $0; return outputs(x, q) }, "db_hh \(tag)")
            assertClose(dh0, numericGradient(of: p.h0, weights: weightsR) { var q = p; q.h0 = $0; return outputs(x, q) }, "dh0 \(tag)")
            assertClose(dc0, numericGradient(of: p.c0, weights: weightsR) { var q = p; q.c0 = $0; return outputs(x, q) }, "dc0 \(tag)")
        }
    }
}
