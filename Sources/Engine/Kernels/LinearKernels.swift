
/// A fully connected layer over `rows` row vectors: `output = input · weightᵀ + bias`,
/// input `(rows, inFeatures)`, weight `(outFeatures, inFeatures)` as PyTorch stores it.
public enum LinearKernels {
    /// Writes `output` `(rows, outFeatures)`.
    public static func forward(rows: Int, inFeatures: Int, outFeatures: Int, input: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>) {
        if let bias {
            for r in 0..<rows { (output + r * outFeatures).update(from: bias, count: outFeatures) }
        }
        BLAS.sgemm(transB: true, m: rows, n: outFeatures, k: inFeatures, a: input, lda: inFeatures,
                   b: weight, ldb: inFeatures, beta: bias == nil ? 0 : 1, c: output, ldc: outFeatures)
    }

    /// Gradients of `sum(output · gradOutput)`; pass `nil` for any that is not wanted.
    public static func backward(rows: Int, inFeatures: Int, outFeatures: Int, input: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                                gradBias: UnsafeMutablePointer<Float>?) {
        if let gradInput {
            BLAS.sgemm(m: rows, n: inFeatures, k: outFeatures, a: gradOutput, lda: outFeatures,
                       b: weight, ldb: inFeatures, c: gradInput, ldc: inFeatures)
        }
        if let gradWeight {
            BLAS.sgemm(transA: true, m: outFeatures, n: inFeatures, k: rows, a: gradOutput, lda: outFeatures,
                       b: input, ldb: inFeatures, c: gradWeight, ldc: inFeatures)
        }
        if let gradBias {
            gradBias.update(repeating: 0, count: outFeatures)
            for r in 0..<rows {
                let row = gradOutput + r * outFeatures
                for j in 0..<outFeatures { gradBias[j] += row[j] }
            }
        }
    }
}
