import CBLAS

/// Thin Swift face of OpenBLAS's CBLAS interface; no C types leak past this file.
public enum BLAS {
    /// Row-major `C = alpha · op(A) · op(B) + beta · C`, where `op` transposes when asked.
    /// `A` is `m × k` after `op`, `B` is `k × n` after `op`, `C` is `m × n`.
    @inlinable
    public static func sgemm(transA: Bool = false, transB: Bool = false,
                             m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0,
                             c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha,
                    a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// Row-major matrix–vector product `y = alpha · op(A) · x + beta · y`, `A` stored `rows × cols`.
    @inlinable
    public static func sgemv(trans: Bool = false, rows: Int, cols: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int,
                             x: UnsafePointer<Float>, beta: Float = 0,
                             y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans,
                    blasint(rows), blasint(cols), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }

    /// `y += alpha · x` over `count` contiguous floats.
    @inlinable
    public static func saxpy(count: Int, alpha: Float, x: UnsafePointer<Float>,
                             y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// Threads OpenBLAS may use inside one call. Set it deliberately when the caller
    /// parallelises itself, so that the two never compete for the same cores.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}
