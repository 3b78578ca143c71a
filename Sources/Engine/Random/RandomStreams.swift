import EngineFormats

/// Keyed streams and double-precision draws: what splits, augmentation and the demo corpus need
/// on top of the basic generator.
extension RandomGenerator {
    /// A generator whose stream depends only on `seed` and the `stream` keys (e.g. an augmentation
    /// tag, a clip index and a copy number), so work items processed in any order or on any thread
    /// draw the same numbers. Different key lists give unrelated streams.
    public convenience init(seed: UInt64, stream: [UInt64]) {
        self.init(seed: RandomGenerator.streamSeed(seed, stream))
    }

    /// The seed of the stream keyed by `keys` under `seed` (SplitMix64 finaliser chained over the keys).
    public static func streamSeed(_ seed: UInt64, _ keys: [UInt64]) -> UInt64 {
        var state = mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        for key in keys { state = mix(state ^ mix(key &+ 0xD1B5_4A32_D192_ED03)) }
        return state
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    public func uniformDouble() -> Double { Double(nextUInt64() >> 11) * 0x1p-53 }

    /// Uniform in `[low, high)` in double precision.
    public func uniformDouble(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniformDouble() }

    /// A uniform integer in `[low, high)`, unbiased (numpy's `randint(low, high)`); `low` when the
    /// range is empty.
    public func int(_ low: Int, _ high: Int) -> Int {
        guard high > low else { return low }
        // The span in UInt64: `high - low` overflows Int for ranges wider than Int.max.
        let span = UInt64(bitPattern: Int64(high &- low))
        return span < 2 ? low : low &+ Int(bitPattern: UInt(uniform(below: span)))
    }

    /// Fills `values` with standard normal deviates.
    public func fillNormal(_ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { fillNormal($0) }
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
