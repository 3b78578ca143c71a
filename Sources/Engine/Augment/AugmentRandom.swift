import Foundation

/// A small seeded generator (SplitMix64) for augmentation and the demo corpus.
/// Interim: to be replaced by the Engine's shared `Random` module once it lands in main.
struct AugmentRandom {
    private var state: UInt64

    /// A generator whose stream depends only on `seed` and the `stream` keys, so that work items
    /// processed in any order (or in parallel) draw the same numbers.
    init(seed: UInt64, stream: [UInt64] = []) {
        var s = AugmentRandom.mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        for key in stream { s = AugmentRandom.mix(s ^ AugmentRandom.mix(key &+ 0xD1B5_4A32_D192_ED03)) }
        state = s
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return AugmentRandom.mix(state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Uniform in `center · (1 ± spread)`.
    mutating func jitter(_ center: Double, relative spread: Double) -> Double {
        center * (1 + uniform(-spread, spread))
    }

    /// Uniform integer in [lo, hi) (lo when the range is empty), like numpy's `randint(lo, hi)`.
    mutating func integer(_ lo: Int, _ hi: Int) -> Int {
        guard hi > lo else { return lo }
        return lo + Int(next() % UInt64(hi - lo))
    }

    /// Fills `buffer` with standard normal deviates.
    mutating func fillGaussian(_ buffer: inout [Float]) {
        buffer.withUnsafeMutableBufferPointer { x in
            var i = 0
            while i < x.count {
                // Both Box–Muller outputs are used: half the logs and square roots.
                let u1 = max(uniform(), 0x1.0p-60), u2 = uniform()
                let r = (-2 * log(u1)).squareRoot(), a = 2 * Double.pi * u2
                x[i] = Float(r * cos(a))
                if i + 1 < x.count { x[i + 1] = Float(r * sin(a)) }
                i += 2
            }
        }
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
