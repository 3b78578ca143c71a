import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

final class NormKernelsTests: XCTestCase {
    private struct BatchNormRun { var y: [Float]; var mean: [Float]; var invStd: [Float] }

    private func batchNorm(_ n: Int, _ c: Int, _ l: Int, training: Bool, _ x: [Float], _ w: [Float], _ b: [Float],
                           runningMean: inout [Float], runningVar: inout [Float]) -> BatchNormRun {
        var run = BatchNormRun(y: [Float](repeating: 0, count: x.count), mean: [Float](repeating: 0, count: c),
                               invStd: [Float](repeating: 0, count: c))
        BatchNormKernels.forward(batch: n, channels: c, length: l, training: training, momentum: 0.1, epsilon: 1e-5,
                                 input: x, weight: w, bias: b, runningMean: &runningMean, runningVar: &runningVar,
                                 output: &run.y, savedMean: &run.mean, savedInvStd: &run.invStd)
        return run
    }

    func testBatchNormStatisticsAndRunningUpdate() {
        // Channel 0 holds 1, 2, 3, 4 over (N = 2, L = 2): mean 2.5, biased var 1.25, unbiased 5/3.
        let x: [Float] = [1, 2, 10, 10, 3, 4, 10, 10]
        var rm: [Float] = [0, 0], rv: [Float] = [1, 1]
        let run = batchNorm(2, 2, 2, training: true, x, [1, 2], [0, 1], runningMean: &rm, runningVar: &rv)
        let inv = 1 / (1.25 + 1e-5).squareRoot()
        assertClose([run.y[0], run.y[1], run.y[4], run.y[5]], [-1.5, -0.5, 0.5, 1.5].map { Float($0 * inv) },
                    absolute: 1e-6, relative: 1e-6, "normalised")
        XCTAssertEqual(run.y[2], 1, accuracy: 1e-6)   // constant channel → bias
        assertClose(rm, [0.25, 1.0], absolute: 1e-6, relative: 1e-6, "running mean")
        assertClose(rv, [0.9 + 0.1 * 5.0 / 3.0, 0.9], absolute: 1e-6, relative: 1e-6, "running var (unbiased)")
        // Eval uses the running statistics.
        let eval = batchNorm(2, 2, 2, training: false, x, [1, 2], [0, 1], runningMean: &rm, runningVar: &rv)
        XCTAssertEqual(eval.y[0], (1 - 0.25) / (rv[0] + 1e-5).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(rm, [0.25, 1.0], "eval leaves running stats alone")
    }

    func testBatchNormBackwardMatchesFiniteDifferences() {
        var random = TestRandom(seed: 4)
        let (n, c, l) = (3, 4, 5)
        let x = random.values(n * c * l, -2, 2), w = random.values(c), b = random.values(c)
        let r = random.values(x.count)
        for training in [true, false] {
            var rm = random.values(c), rv = random.values(c, 0.5, 2)
            let forward = { (x: [Float], w: [Float], b: [Float]) -> [Float] in
                var m = rm, v = rv
                return self.batchNorm(n, c, l, training: training, x, w, b, runningMean: &m, runningVar: &v).y
            }
            let run = batchNorm(n, c, l, training: training, x, w, b, runningMean: &rm, runningVar: &rv)
            var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: c), db = dw
            BatchNormKernels.backward(batch: n, channels: c, length: l, batchStatistics: training, input: x, weight: w,
                                      savedMean: run.mean, savedInvStd: run.invStd, gradOutput: r,
                                      gradInput: &dx, gradWeight: &dw, gradBias: &db)
            assertClose(dx, numericGradient(of: x, weights: r) { forward($0, w, b) }, "bn dx training=\(training)")
            assertClose(dw, numericGradient(of: w, weights: r) { forward(x, $0, b) }, "bn dw")
            assertClose(db, numericGradient(of: b, weights: r) { forward(x, w, $0) }, "bn db")
        }
    }

    private func layerNorm(_ rows: Int, _ width: Int, _ x: [Float], _ w: [Float], _ b: [Float])
        -> (y: [Float], mean: [Float], invStd: [Float]) {
        var y = [Float](repeating: 0, count: x.count)
        var mean = [Float](repeating: 0, count: rows), inv = mean
        LayerNormKernels.forward(rows: rows, width: width, epsilon: 1e-5, input: x, weight: w, bias: b,
                                 output: &y, savedMean: &mean, savedInvStd: &inv)
        return (y, mean, inv)
    }

    func testLayerNormRowsAreStandardised() {
        var random = TestRandom(seed: 5)
        let x = random.values(4 * 6, -3, 3)
        let y = layerNorm(4, 6, x, [Float](repeating: 1, count: 6), [Float](repeating: 0, count: 6)).y
        for r in 0..<4 {
            let row = y[(r * 6)..<(r * 6 + 6)]
            XCTAssertEqual(row.reduce(0, +) / 6, 0, accuracy: 1e-6)
            XCTAssertEqual(row.map { $0 * $0 }.reduce(0, +) / 6, 1, accuracy: 1e-3)
        }
    }

    func testLayerNormBackwardMatchesFiniteDifferences() {
        var random = TestRandom(seed: 6)
        let (rows, width) = (200, 5)   // enough rows to take the parallel path
        let x = random.values(rows * width, -2, 2), w = random.values(width), b = random.values(width)
        let r = random.values(x.count)
        let run = layerNorm(rows, width, x, w, b)
        var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: width), db = dw
        LayerNormKernels.backward(rows: rows, width: width, input: x, weight: w, savedMean: run.mean,
                                  savedInvStd: run.invStd, gradOutput: r, gradInput: &dx, gradWeight: &dw, gradBias: &db)
        assertClose(dx, numericGradient(of: x, weights: r) { self.layerNorm(rows, width, $0, w, b).y }, "ln dx")
        assertClose(dw, numericGradient(of: w, weights: r) { self.layerNorm(rows, width, x, $0, b).y }, "ln dw")
        assertClose(db, numericGradient(of: b, weights: r) { self.layerNorm(rows, width, x, w, $0).y }, "ln db")
    }

    func testSoftmaxClosedFormAndGradient() {
        var y = [Float](repeating: 0, count: 3)
        SoftmaxKernels.forward(rows: 1, width: 3, input: [0, log(2), log(5)], output: &y)
        assertClose(y, [0.125, 0.25, 0.625], absolute: 1e-6, relative: 1e-6, "softmax")
        SoftmaxKernels.forward(rows: 1, width: 3, input: [1000, 1000, -1000], output: &y)
        assertClose(y, [0.5, 0.5, 0], absolute: 1e-6, relative: 1e-6, "softmax stays finite")

        var random = TestRandom(seed: 7)
        let (rows, width) = (4, 6)
        let x = random.values(rows * width, -3, 3), r = random.values(x.count)
        let softmax = { (x: [Float]) -> [Float] in
            var out = [Float](repeating: 0, count: x.count)
            SoftmaxKernels.forward(rows: rows, width: width, input: x, output: &out)
            return out
        }
        var dx = [Float](repeating: 0, count: x.count)
        SoftmaxKernels.backward(rows: rows, width: width, output: softmax(x), gradOutput: r, gradInput: &dx)
        assertClose(dx, numericGradient(of: x, weights: r, softmax), "softmax dx")
    }
}
