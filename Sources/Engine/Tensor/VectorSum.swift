/// Sums of contiguous floats with eight independent accumulators, so the adds pipeline (and
/// vectorise) instead of waiting on one serial chain.
enum VectorSum {
    /// `Σ p[0..<n]`.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var a4: Float = 0, a5: Float = 0, a6: Float = 0, a7: Float = 0
        var i = 0
        while i + 8 <= n {
            a0 += p[i]; a1 += p[i + 1]; a2 += p[i + 2]; a3 += p[i + 3]
            a4 += p[i + 4]; a5 += p[i + 5]; a6 += p[i + 6]; a7 += p[i + 7]
            i += 8
        }
        var total = ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7))
        while i < n {
            total += p[i]
            i += 1
        }
        return total
    }

    /// `Σ p[i]·q[i]` over `0..<n`.
    @inline(__always)
    static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var i = 0
        while i + 4 <= n {
            a0 += p[i] * q[i]; a1 += p[i + 1] * q[i + 1]; a2 += p[i + 2] * q[i + 2]; a3 += p[i + 3] * q[i + 3]
            i += 4
        }
        var total = (a0 + a2) + (a1 + a3)
        while i < n {
            total += p[i] * q[i]
            i += 1
        }
        return total
    }
}
