import Foundation

/// Softmax along the last dimension of a `rows × width` row-major matrix.
public enum SoftmaxKernels {
    /// `output[r, i] = exp(x[r, i] − max_r) / Σ_j exp(x[r, j] − max_r)`; `output` may alias `input`.
    public static func forward(rows: Int, width: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let x = input + r * width, y = output + r * width
            var peak = -Float.infinity
            for i in 0..<width { peak = max(peak, x[i]) }
            var total: Float = 0
            for i in 0..<width { let e = expf(x[i] - peak); y[i] = e; total += e }
            let scale = 1 / total
            for i in 0..<width { y[i] *= scale }
        }
    }

    /// `gradInput = y · (gradOutput − Σ gradOutput · y)` row by row, from the softmax output `y`;
    /// `gradInput` may alias `gradOutput`.
    public static func backward(rows: Int, width: Int, output: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let y = output + r * width, dy = gradOutput + r * width, dx = gradInput + r * width
            var dot: Float = 0
            for i in 0..<width { dot += dy[i] * y[i] }
            for i in 0..<width { dx[i] = y[i] * (dy[i] - dot) }
        }
    }
}
