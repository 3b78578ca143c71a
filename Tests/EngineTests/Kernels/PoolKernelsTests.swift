import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

final class PoolKernelsTests: XCTestCase {
    private func maxPool(_ g: PoolGeometry, _ x: [Float]) -> (values: [Float], argmax: [Int32]) {
        var y = [Float](repeating: 0, count: g.planes * g.outHeight * g.outWidth)
        var at = [Int32](repeating: 0, count: y.count)
        PoolKernels.maxForward(g, input: x, output: &y, argmax: &at)
        return (y, at)
    }

    private func avgPool(_ g: PoolGeometry, _ x: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: g.planes * g.outHeight * g.outWidth)
        PoolKernels.averageForward(g, input: x, output: &y)
        return y
    }

    func testRectangularWindowsByHand() {
        // One 2 × 8 plane, kernel [2, 4] (the notebooks' transformer-branch pooling).
        let g = PoolGeometry(planes: 1, height: 2, width: 8, kernel: (2, 4))
        let x: [Float] = [1, 5, 2, 0, -1, -2, -3, -4,
                          3, 4, 9, 1, -5, -6, -7, -0.5]
        XCTAssertEqual(g.outHeight, 1)
        XCTAssertEqual(g.outWidth, 2)
        XCTAssertEqual(maxPool(g, x).values, [9, -0.5])
        XCTAssertEqual(maxPool(g, x).argmax, [10, 15])
        var valuesOnly = [Float](repeating: 0, count: 2)
        PoolKernels.maxForward(g, input: x, output: &valuesOnly, argmax: nil)
        XCTAssertEqual(valuesOnly, [9, -0.5], "inference path without indices")
        let withNaN: [Float] = [1, .nan, 2, 0, -1, -2, -3, -4, 3, 4, 9, 1, -5, -6, -7, -0.5]
        XCTAssertTrue(maxPool(g, withNaN).values[0].isNaN, "NaN wins, as in PyTorch")
        XCTAssertEqual(maxPool(g, withNaN).argmax[0], 1)
        XCTAssertEqual(avgPool(g, x), [25.0 / 8, -28.5 / 8])
        // Floor rounding drops the incomplete last window: width 9 still gives 2 columns.
        XCTAssertEqual(PoolGeometry(planes: 1, height: 3, width: 9, kernel: (2, 4)).outWidth, 2)
    }

    /// Ties, signed zeros and NaNs (several per window, with payloads) follow the defining rule —
    /// scan the window row by row, replace the maximum when a value is greater or NaN — on
    /// overlapping and non-overlapping windows.
    func testWinnersFollowTheSequentialRule() {
        var random = TestRandom(seed: 11)
        let palette: [Float] = [-1, 0, -0.0, 1, 2, .infinity, -.infinity, Float(nan: 1, signaling: false), Float(nan: 2, signaling: false)]
        for g in [PoolGeometry(planes: 5, height: 6, width: 8, kernel: (2, 2)),
                  PoolGeometry(planes: 4, height: 7, width: 9, kernel: (3, 2), stride: (1, 2)),
                  PoolGeometry(planes: 3, height: 8, width: 8, kernel: (4, 4))] {
            let x = (0..<(g.planes * g.height * g.width)).map { _ in
                palette[Int((random.uniform(0, 1) * Float(palette.count)).rounded(.down)) % palette.count]
            }
            let (values, argmax) = maxPool(g, x)
            var valuesOnly = [Float](repeating: 0, count: values.count)
            PoolKernels.maxForward(g, input: x, output: &valuesOnly, argmax: nil)
            for p in 0..<g.planes {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let o = (p * g.outHeight + oy) * g.outWidth + ox
                        var best = x[p * g.height * g.width + oy * g.strideHeight * g.width + ox * g.strideWidth]
                        var winner = oy * g.strideHeight * g.width + ox * g.strideWidth
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let index = (oy * g.strideHeight + ky) * g.width + ox * g.strideWidth + kx
                                let v = x[p * g.height * g.width + index]
                                if v > best || v.isNaN { best = v; winner = index }
                            }
                        }
                        XCTAssertEqual(argmax[o], Int32(winner), "\(g) output \(o)")
                        XCTAssertEqual(values[o].bitPattern, best.bitPattern, "\(g) output \(o)")
                        XCTAssertEqual(valuesOnly[o].bitPattern, best.bitPattern, "\(g) output \(o), no indices")
                    }
                }
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = TestRandom(seed: 3)
        let shapes = [PoolGeometry(planes: 6, height: 6, width: 9, kernel: (2, 4)),
                      PoolGeometry(planes: 20, height: 5, width: 7, kernel: (3, 2), stride: (1, 2)),
                      PoolGeometry(planes: 3, height: 8, width: 8, kernel: (2, 2))]
        for g in shapes {
            let x = random.values(g.planes * g.height * g.width)
            let r = random.values(g.planes * g.outHeight * g.outWidth)
            var dx = [Float](repeating: 0, count: x.count)
            PoolKernels.maxBackward(g, gradOutput: r, argmax: maxPool(g, x).argmax, gradInput: &dx)
            assertClose(dx, numericGradient(of: x, step: 1e-4, weights: r) { self.maxPool(g, $0).values }, "max \(g)")
            PoolKernels.averageBackward(g, gradOutput: r, gradInput: &dx)
            assertClose(dx, numericGradient(of: x, weights: r) { self.avgPool(g, $0) }, "avg \(g)")
        }
    }

    /// Padded, dilated and ceil-mode geometries against PyTorch's defining loops: window `(oy, ox)` reads
    /// `(oy·sh − ph + ky·dh, ox·sw − pw + kx·dw)` where that lies in the plane; the average divides by the
    /// window clipped to the padded plane (`count_include_pad`) or to the plane.
    func testPaddedDilatedAndCeilModeWindows() {
        let g = PoolGeometry(planes: 1, height: 5, width: 5, kernel: (2, 2), padding: (1, 1), ceilMode: true)
        XCTAssertEqual(g.outHeight, 3, "rounding up to 4 would start the last window in the trailing padding")
        XCTAssertEqual(PoolGeometry(planes: 1, height: 8, width: 8, kernel: (3, 3), stride: (2, 2), padding: (1, 1),
                                    ceilMode: true).outHeight, 5)
        XCTAssertFalse(PoolGeometry(planes: 1, height: 4, width: 4, kernel: (2, 2), padding: (2, 0)).isValid,
                       "padding above half the kernel")
        var random = TestRandom(seed: 21)
        let geometries = [
            PoolGeometry(planes: 3, height: 8, width: 9, kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true),
            PoolGeometry(planes: 2, height: 7, width: 9, kernel: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 2)),
            PoolGeometry(planes: 2, height: 6, width: 5, kernel: (2, 2), padding: (1, 1), ceilMode: true),
            PoolGeometry(planes: 2, height: 5, width: 7, kernel: (3, 2), ceilMode: true),   // partial windows, no padding
        ]
        for g in geometries {
            XCTAssertTrue(g.isValid && !g.isPlain, "\(g)")
            let x = random.values(g.planes * g.height * g.width)
            for countIncludePad in [true, false] {
                var y = [Float](repeating: 0, count: g.planes * g.outHeight * g.outWidth)
                if g.dilationHeight == 1 && g.dilationWidth == 1 {
                    PoolKernels.averageForward(g, input: x, output: &y, countIncludePad: countIncludePad)
                    assertClose(y, reference(g, x, max: false, countIncludePad: countIncludePad).values, absolute: 1e-6, relative: 1e-6,
                                "avg \(g) countIncludePad \(countIncludePad)")
                    let r = random.values(y.count)
                    var dx = [Float](repeating: 0, count: x.count)
                    PoolKernels.averageBackward(g, gradOutput: r, gradInput: &dx, countIncludePad: countIncludePad)
                    assertClose(dx, numericGradient(of: x, weights: r) { v in
                        var out = [Float](repeating: 0, count: y.count)
                        PoolKernels.averageForward(g, input: v, output: &out, countIncludePad: countIncludePad)
                        return out
                    }, "avg backward \(g)")
                }
            }
            let (values, argmax) = maxPool(g, x)
            let expected = reference(g, x, max: true, countIncludePad: true)
            XCTAssertEqual(values, expected.values, "max \(g)")
            XCTAssertEqual(argmax, expected.argmax, "max winners \(g)")
            let r = random.values(values.count)
            var dx = [Float](repeating: 0, count: x.count)
            PoolKernels.maxBackward(g, gradOutput: r, argmax: argmax, gradInput: &dx)
            assertClose(dx, numericGradient(of: x, step: 1e-4, weights: r) { self.maxPool(g, $0).values }, "max backward \(g)")
        }
    }

    /// The defining loops over the padded window (see above).
    private func reference(_ g: PoolGeometry, _ x: [Float], max: Bool, countIncludePad: Bool) -> (values: [Float], argmax: [Int32]) {
        var values: [Float] = [], argmax: [Int32] = []
        for p in 0..<g.planes {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    var best = -Float.infinity, winner = -1, sum: Float = 0, inside = 0, padded = 0
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let iy = oy * g.strideHeight - g.paddingHeight + ky * g.dilationHeight
                            let ix = ox * g.strideWidth - g.paddingWidth + kx * g.dilationWidth
                            if iy < g.height + g.paddingHeight && ix < g.width + g.paddingWidth { padded += 1 }
                            guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                            let v = x[(p * g.height + iy) * g.width + ix]
                            inside += 1
                            sum += v
                            if v > best || v.isNaN || winner < 0 { best = v; winner = iy * g.width + ix }
                        }
                    }
                    values.append(max ? best : sum / Float(countIncludePad ? padded : inside))
                    argmax.append(Int32(winner))
                }
            }
        }
        return (values, argmax)
    }
}
