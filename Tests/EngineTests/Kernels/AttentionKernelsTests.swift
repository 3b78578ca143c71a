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

final class AttentionKernelsTests: XCTestCase {
    // Sequence-first packed projection (T, B, 3E) with E = heads · headDim, as MultiheadAttention uses.
    private let (steps, batch, heads, headDim) = (4, 2, 2, 3)
    private var embed: Int { heads * headDim }
    private var geometry: AttentionGeometry {
        AttentionGeometry(batch: batch, heads: heads, steps: steps, headDim: headDim,
                          input: SequenceLayout(rowStride: batch * 3 * embed, sequenceStride: 3 * embed),
                          output: SequenceLayout(rowStride: batch * embed, sequenceStride: embed))
    }

    private func attend(_ qkv: [Float], mask: [Float]?) -> [Float] {
        var out = [Float](repeating: 0, count: steps * batch * embed)
        var probs = [Float](repeating: 0, count: geometry.probabilityCount)
        qkv.withUnsafeBufferPointer { p in
            let base = p.baseAddress!
            AttentionKernels.forward(geometry, query: base, key: base + embed, value: base + 2 * embed,
                                     scale: 1 / Float(headDim).squareRoot(), mask: mask, probabilities: &probs, output: &out)
        }
        return out
    }

    /// Plain loops over (sequence, head, query step, key step).
    private func reference(_ qkv: [Float], mask: [Float]?) -> [Float] {
        var out = [Float](repeating: 0, count: steps * batch * embed)
        func at(_ t: Int, _ b: Int, _ part: Int, _ h: Int, _ j: Int) -> Float {
            qkv[(t * batch + b) * 3 * embed + part * embed + h * headDim + j]
        }
        for b in 0..<batch {
            for h in 0..<heads {
                for i in 0..<steps {
                    var scores = (0..<steps).map { k in
                        (0..<headDim).reduce(Float(0)) { $0 + at(i, b, 0, h, $1) * at(k, b, 1, h, $1) } / Float(headDim).squareRoot()
                    }
                    let top = scores.max() ?? 0
                    scores = scores.map { exp($0 - top) }
                    let total = scores.reduce(0, +)
                    for k in 0..<steps {
                        var w = scores[k] / total
                        if let mask { w *= mask[((b * heads + h) * steps + i) * steps + k] }
                        for j in 0..<headDim { out[(i * batch + b) * embed + h * headDim + j] += w * at(k, b, 2, h, j) }
                    }
                }
            }
        }
        return out
    }

    func testForwardAndBackward() {
        var random = TestRandom(seed: 10)
        let qkv = random.values(steps * batch * 3 * embed, -1.5, 1.5)
        let r = random.values(steps * batch * embed)
        let dropMask = (0..<geometry.probabilityCount).map { _ in random.uniform(0, 1) < 0.3 ? Float(0) : 1 / 0.7 }
        for mask in [nil, dropMask] {
            assertClose(attend(qkv, mask: mask), reference(qkv, mask: mask), absolute: 1e-5, relative: 1e-5, "forward")
            var probs = [Float](repeating: 0, count: geometry.probabilityCount)
            var out = [Float](repeating: 0, count: r.count)
            var grad = [Float](repeating: 0, count: qkv.count)
            qkv.withUnsafeBufferPointer { p in
                let base = p.baseAddress!
                let scale = 1 / Float(headDim).squareRoot()
                AttentionKernels.forward(geometry, query: base, key: base + embed, value: base + 2 * embed,
                                         scale: scale, mask: mask, probabilities: &probs, output: &out)
                grad.withUnsafeMutableBufferPointer { g in
                    let dBase = g.baseAddress!
                    AttentionKernels.backward(geometry, query: base, key: base + embed, value: base + 2 * embed,
                                              scale: scale, mask: mask, probabilities: probs, gradOutput: r,
                                              gradQuery: dBase, gradKey: dBase + embed, gradValue: dBase + 2 * embed)
                }
            }
            assertClose(grad, numericGradient(of: qkv, weights: r) { self.attend($0, mask: mask) },
                        "dQKV masked=\(mask != nil)")
        }
    }

    func testLinearKernelMatchesHandProductAndGradients() {
        // [1 2; 3 4] · [[1 0], [1 1], [0 2]]ᵀ + [1, 0, -1]
        var y = [Float](repeating: 0, count: 6)
        LinearKernels.forward(rows: 2, inFeatures: 2, outFeatures: 3, input: [1, 2, 3, 4], weight: [1, 0, 1, 1, 0, 2],
                              bias: [1, 0, -1], output: &y)
        XCTAssertEqual(y, [2, 3, 3, 4, 7, 7])
        var random = TestRandom(seed: 11)
        let (rows, i, o) = (5, 4, 3)
        let x = random.values(rows * i), w = random.values(o * i), b = random.values(o), r = random.values(rows * o)
        let run = { (x: [Float], w: [Float], b: [Float]) -> [Float] in
            var y = [Float](repeating: 0, count: rows * o)
            LinearKernels.forward(rows: rows, inFeatures: i, outFeatures: o, input: x, weight: w, bias: b, output: &y)
            return y
        }
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count)
        var db = [Float](repeating: 0, count: o)
        LinearKernels.backward(rows: rows, inFeatures: i, outFeatures: o, input: x, weight: w, gradOutput: r,
                               gradInput: &dx, gradWeight: &dw, gradBias: &db)
        assertClose(dx, numericGradient(of: x, weights: r) { run($0, w, b) }, "linear dx")
        assertClose(dw, numericGradient(of: w, weights: r) { run(x, $0, b) }, "linear dw")
        assertClose(db, numericGradient(of: b, weights: r) { run(x, w, $0) }, "linear db")
    }
}
