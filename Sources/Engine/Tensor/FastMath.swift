
/// Branch-free float32 `exp` and `tanh` made of arithmetic and bit operations only, so loops that call them
/// vectorise (libm calls do not). Accuracy is within 2 ulp (exp) and 3 ulp (tanh) of libm.
enum FastMath {
    /// `eˣ`: range reduction `x = n·ln2 + r` (Cody–Waite, |r| ≤ ln2/2), a degree-7 Taylor
    /// polynomial for `eʳ`, and `2ⁿ` built in the exponent bits. 0 below −87.3, ∞ above 88.7,
    /// NaN passes through.
    @inline(__always)
    package static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.7)
        // Adding 1.5·2²³ rounds to the nearest integer in the low mantissa bits.
        let shifted = clamped * 1.44269504088896341 + 12_582_912
        let n = shifted - 12_582_912
        let r = (clamped - n * 0.693145751953125) - n * 1.42860682030941723e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
        let value = p * scale
        if x.isNaN { return x }
        return x < -87.3 ? 0 : (x > 88.7 ? .infinity : value)
    }

    /// `tanh(x)`: an odd Taylor polynomial below |x| = 0.3 (no cancellation near 0), else
    /// `1 − 2/(e²ˣ + 1)`; ±1 for large |x|, NaN passes through.
    @inline(__always)
    package static func tanh(_ x: Float) -> Float {
        let a = Swift.abs(x), a2 = a * a
        var p: Float = -1382.0 / 155_925
        p = p * a2 + 62.0 / 2835
        p = p * a2 - 17.0 / 315
        p = p * a2 + 2.0 / 15
        p = p * a2 - 1.0 / 3
        let small = a + a * a2 * p
        let large = 1 - 2 / (exp(2 * a) + 1)
        let magnitude = a < 0.3 ? small : large
        return x < 0 ? -magnitude : magnitude
    }
}
