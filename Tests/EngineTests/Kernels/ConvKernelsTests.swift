import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

final class ConvKernelsTests: XCTestCase {
    private func run(_ g: ConvGeometry, _ x: [Float], _ w: [Float], _ b: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: g.batch * g.outputSampleCount)
        ConvKernels.forward(g, input: x, weight: w, bias: b, output: &y)
        return y
    }

    /// Direct six-loop convolution (with dilation and groups), written independently of im2col.
    private func direct(_ g: ConvGeometry, _ x: [Float], _ w: [Float], _ b: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: g.batch * g.outputSampleCount)
        let groupChannels = g.inChannels / g.groups
        for n in 0..<g.batch {
            for o in 0..<g.outChannels {
                let firstChannel = o / g.groupOutChannels * groupChannels
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var sum = b?[o] ?? 0
                        for c in 0..<groupChannels {
                            for ky in 0..<g.kernelHeight {
                                for kx in 0..<g.kernelWidth {
                                    let iy = oy * g.strideHeight - g.paddingHeight + ky * g.dilationHeight
                                    let ix = ox * g.strideWidth - g.paddingWidth + kx * g.dilationWidth
                                    guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                                    sum += x[((n * g.inChannels + firstChannel + c) * g.height + iy) * g.width + ix]
                                        * w[((o * groupChannels + c) * g.kernelHeight + ky) * g.kernelWidth + kx]
                                }
                            }
                        }
                        y[((n * g.outChannels + o) * g.outHeight + oy) * g.outWidth + ox] = sum
                    }
                }
            }
        }
        return y
    }

    private let geometries = [
        ConvGeometry(batch: 3, inChannels: 2, height: 5, width: 7, outChannels: 3, kernel: (3, 3), padding: (1, 1)),
        ConvGeometry(batch: 2, inChannels: 3, height: 6, width: 5, outChannels: 2, kernel: (2, 3), stride: (2, 1), padding: (0, 1)),
        ConvGeometry(batch: 2, inChannels: 1, height: 7, width: 8, outChannels: 2, kernel: (3, 2), stride: (2, 3), padding: (2, 1)),
        ConvGeometry.conv1d(batch: 3, inChannels: 2, length: 9, outChannels: 4, kernel: 3, stride: 2, padding: 1),
        ConvGeometry(batch: 2, inChannels: 4, height: 7, width: 8, outChannels: 6, kernel: (3, 2), stride: (1, 2),
                     padding: (1, 0), trailingPadding: (2, 1), dilation: (2, 3), groups: 2),
        ConvGeometry(batch: 2, inChannels: 3, height: 5, width: 6, outChannels: 3, kernel: (3, 3), padding: (2, 2),
                     dilation: (2, 2), groups: 3),   // depthwise
        ConvGeometry.conv1d(batch: 2, inChannels: 4, length: 11, outChannels: 2, kernel: 3, stride: 2, padding: 2,
                            dilation: 2, groups: 2),
    ]

    func testForwardMatchesDirectConvolution() {
        var random = TestRandom(seed: 1)
        for g in geometries {
            XCTAssertTrue(g.isValid)
            let x = random.values(g.batch * g.inputSampleCount)
            let w = random.values(g.weightCount)
            let b = random.values(g.outChannels)
            assertClose(run(g, x, w, b), direct(g, x, w, b), absolute: 1e-5, relative: 1e-5, "conv \(g)")
            assertClose(run(g, x, w, nil), direct(g, x, w, nil), absolute: 1e-5, relative: 1e-5, "conv no bias")
        }
    }

    func testIdentityKernelCopiesInput() {
        let g = ConvGeometry(batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1, kernel: (3, 3), padding: (1, 1))
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let w: [Float] = [0, 0, 0, 0, 1, 0, 0, 0, 0]
        XCTAssertEqual(run(g, x, w, [0.5]), x.map { $0 + 0.5 })
        let box = [Float](repeating: 1, count: 9)
        XCTAssertEqual(run(g, x, box, nil), [12, 21, 16, 27, 45, 33, 24, 39, 28])
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = TestRandom(seed: 2)
        for g in geometries {
            let x = random.values(g.batch * g.inputSampleCount)
            let w = random.values(g.weightCount)
            let b = random.values(g.outChannels)
            let r = random.values(g.batch * g.outputSampleCount)
            var dx = [Float](repeating: 0, count: x.count)
            var dw = [Float](repeating: 0, count: w.count)
            var db = [Float](repeating: 0, count: b.count)
            ConvKernels.backward(g, input: x, weight: w, gradOutput: r, gradInput: &dx, gradWeight: &dw, gradBias: &db)
            assertClose(dx, numericGradient(of: x, weights: r) { run(g, $0, w, b) }, "dx \(g)")
            assertClose(dw, numericGradient(of: w, weights: r) { run(g, x, $0, b) }, "dw \(g)")
            assertClose(db, numericGradient(of: b, weights: r) { run(g, x, w, $0) }, "db \(g)")
        }
    }
}
