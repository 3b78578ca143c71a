
/// Sums of contiguous floats with eight independent accumulators, so the adds pipeline (and
/// vectorise) instead of waiting on one serial chain.
enum VectorSum {
    /// `Σ p[0..<n]`.
    @inline(__always)
    package static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
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

    /// `Σ (p[i] − center)²` over `0..<n`.
    @inline(__always)
    static func squaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, from center: Float) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var a4: Float = 0, a5: Float = 0, a6: Float = 0, a7: Float = 0
        var i = 0
        while i + 8 <= n {
            let d0 = p[i] - center, d1 = p[i + 1] - center, d2 = p[i + 2] - center, d3 = p[i + 3] - center
            let d4 = p[i + 4] - center, d5 = p[i + 5] - center, d6 = p[i + 6] - center, d7 = p[i + 7] - center
            a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3
            a4 += d4 * d4; a5 += d5 * d5; a6 += d6 * d6; a7 += d7 * d7
            i += 8
        }
        var total = ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7))
        while i < n {
            let d = p[i] - center
            total += d * d
            i += 1
        }
        return total
    }

    /// `Σ p[i]·(q[i] − center)` over `0..<n`.
    @inline(__always)
    static func centeredDot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ n: Int, mean center: Float) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var a4: Float = 0, a5: Float = 0, a6: Float = 0, a7: Float = 0
        var i = 0
        while i + 8 <= n {
            a0 += p[i] * (q[i] - center); a1 += p[i + 1] * (q[i + 1] - center)
            a2 += p[i + 2] * (q[i + 2] - center); a3 += p[i + 3] * (q[i + 3] - center)
            a4 += p[i + 4] * (q[i + 4] - center); a5 += p[i + 5] * (q[i + 5] - center)
            a6 += p[i + 6] * (q[i + 6] - center); a7 += p[i + 7] * (q[i + 7] - center)
            i += 8
        }
        var total = ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7))
        while i < n {
            total += p[i] * (q[i] - center)
            i += 1
        }
        return total
    }
}
