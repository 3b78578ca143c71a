import EngineTensor

/// Whole-array passes of the dB conversions on SIMD vectors (a scalar `max` reduction does not
/// vectorise, as float maxima are not reassociated).
enum VectorScan {
    /// The largest element and whether every element is finite; (−∞, true) for no elements.
    package static func maximum(_ x: UnsafePointer<Float>, count: Int) -> (max: Float, allFinite: Bool) {
        let width = SIMD8<Float>.scalarCount
        var peaks = SIMD8<Float>(repeating: -.infinity)
        // x − x is 0 for finite x and NaN for ±∞ and NaN, so one sum flags them all.
        var nonFinite = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ width <= count {
            let value = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            peaks = larger(peaks, value)
            nonFinite += value - value
            i &+= width
        }
        var peak = peaks.max(), finite = nonFinite.sum() == 0
        while i < count {
            peak = max(peak, x[i])
            finite = finite && x[i].isFinite
            i &+= 1
        }
        return (peak, finite)
    }

    /// Raises every element below `floor` to it (nothing when `floor` is NaN).
    static func raise(_ x: UnsafeMutablePointer<Float>, count: Int, to floor: Float) {
        guard !floor.isNaN else { return }
        let width = SIMD8<Float>.scalarCount
        let bound = SIMD8<Float>(repeating: floor)
        var i = 0
        while i &+ width <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            raw.storeBytes(of: larger(raw.loadUnaligned(as: SIMD8<Float>.self), bound), as: SIMD8<Float>.self)
            i &+= width
        }
        while i < count {
            x[i] = max(x[i], floor)
            i &+= 1
        }
    }

    /// Lane-wise maximum (`b` where `a < b`); the standard library's generic `pointwiseMax` was left as
    /// an out-of-line call per vector.
    @inline(__always)
    static func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: a .< b)
    }
}
