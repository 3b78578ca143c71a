import EngineTensor

/// A branch-free base-10 logarithm for positive, normal, finite floats, written on SIMD vectors
/// (libm's log10f is an opaque call per element and dominated power_to_db's time). The scalar and
/// vector forms do the same operations in the same order, so every element gets the same result
/// whichever path it takes. Error below 2e-7 relative to the natural log, about 1e-5 dB for 10 · log10.
enum FastLog {
    private static let ln2: Float = 0.693_147_18
    private static let log10e: Float = 0.434_294_48

    /// `x[i] = 10 · log10(max(amin, x[i])) − offset` in place, for finite inputs and normal `amin`;
    /// returns the largest result (−∞ for no elements).
    static func decibels(_ x: UnsafeMutablePointer<Float>, count: Int, amin: Float, offset: Float) -> Float {
        let width = SIMD8<Float>.scalarCount
        var peaks = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i &+ width <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            let value = raw.loadUnaligned(as: SIMD8<Float>.self)
            let db = 10 * log10(value.replacing(with: amin, where: value .< amin)) - offset
            raw.storeBytes(of: db, as: SIMD8<Float>.self)
            peaks = VectorScan.larger(peaks, db)
            i &+= width
        }
        var peak = peaks.max()
        while i < count {
            x[i] = 10 * log10(max(amin, x[i])) - offset
            peak = max(peak, x[i])
            i &+= 1
        }
        return peak
    }

    @inline(__always)
    package static func log10(_ x: Float) -> Float {
        log10(SIMD8<Float>(repeating: x))[0]
    }

    @inline(__always)
    package static func log10(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        // x = 2^e · m with m in [1, 2); fold m into [√½, √2) so the series below converges fast.
        var exponent = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: (bits &>> 23) & 0xff) &- 127)
        var m = unsafeBitCast((bits & 0x007f_ffff) | 0x3f80_0000, to: SIMD8<Float>.self)
        let fold = m .> 1.414_213_6
        m = m.replacing(with: m * 0.5, where: fold)
        exponent = exponent.replacing(with: exponent + 1, where: fold)
        // ln m = 2 atanh(t), t = (m − 1)/(m + 1), |t| ≤ 0.172: odd series to t⁹ (next term < 4e-10).
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        let one = SIMD8<Float>(repeating: 1)
        var series = t2 * (one / 9) + one / 7
        series = t2 * series + one / 5
        series = t2 * series + one / 3
        series = t2 * series + one
        let ln = exponent * ln2 + 2 * t * series
        return ln * log10e
    }
}
