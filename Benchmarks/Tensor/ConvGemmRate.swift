import Engine
import Foundation

/// GFLOP/s of one conv layer's forward (im2col + GEMMs, the whole kernel) against one plain
/// `sgemm` of the same total size `(O × K) · (K × N·P)`.
struct ConvGemmRate: Codable {
    var layer: String
    var convGflops: Double
    var sgemmGflops: Double

    static func measure(_ name: String, _ g: ConvGeometry, repeats: Int) -> ConvGemmRate {
        let (k, p) = (g.patchSize, g.outPositions)
        let flops = 2.0 * Double(g.outChannels * k) * Double(p * g.batch)
        let input = [Float](repeating: 0.5, count: g.batch * g.inputSampleCount)
        let weight = [Float](repeating: 0.01, count: g.outChannels * k)
        let bias = [Float](repeating: 0, count: g.outChannels)
        var output = [Float](repeating: 0, count: g.batch * g.outputSampleCount)
        let conv = ModelThroughput.timed(warmup: 1, repeats: repeats) {
            ConvKernels.forward(g, input: input, weight: weight, bias: bias, output: &output)
        }
        let columns = [Float](repeating: 0.5, count: k * p * g.batch)
        var product = [Float](repeating: 0, count: g.outChannels * p * g.batch)
        let plain = ModelThroughput.timed(warmup: 1, repeats: repeats) {
            BLAS.sgemm(m: g.outChannels, n: p * g.batch, k: k, a: weight, lda: k, b: columns, ldb: p * g.batch,
                       c: &product, ldc: p * g.batch)
        }
        return ConvGemmRate(layer: name, convGflops: flops / ModelThroughput.median(conv) / 1e9,
                            sgemmGflops: flops / ModelThroughput.median(plain) / 1e9)
    }

    /// The four conv layers of the parallel models' conv branch at batch `batch`.
    static func notebookLayers(batch: Int) -> [(String, ConvGeometry)] {
        [(1, 16, 128, 563), (16, 32, 64, 281), (32, 64, 16, 70), (64, 64, 4, 17)].map { cin, cout, h, w in
            ("conv \(cin)→\(cout) @\(h)×\(w)",
             ConvGeometry(batch: batch, inChannels: cin, height: h, width: w, outChannels: cout, kernel: (3, 3), padding: (1, 1)))
        }
    }
}
