import Foundation

/// A seeded pseudo-random generator (xoshiro256**, seeded by SplitMix64) giving the same
/// stream on every platform for the same seed: all randomness in serscript (initialisation,
/// dropout, shuffling, augmentation) draws from one of these.
///
/// Not thread-safe: give each thread its own generator (e.g. `fork()`).
public final class RandomGenerator {
    private var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
    /// A second normal deviate left over from the last Box–Muller pair.
    private var spareNormal: Float?

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { reseed(seed) }

    /// The process-wide generator used when none is passed (seed 0 until `reseed` is called).
    nonisolated(unsafe) public static let global = RandomGenerator(seed: 0)

    /// Restarts the stream from `seed` (PyTorch's `manual_seed`).
    public func reseed(_ seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        s0 = seeder.next(); s1 = seeder.next(); s2 = seeder.next(); s3 = seeder.next()
        spareNormal = nil
    }

    /// A new generator seeded from this one's stream (for parallel workers).
    public func fork() -> RandomGenerator { RandomGenerator(seed: nextUInt64()) }

    /// The next 64 random bits.
    @inline(__always)
    public func nextUInt64() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in `[0, 1)` with 24 random bits (every float32 step of that grid equally likely).
    @inline(__always)
    public func uniform() -> Float { Float(nextUInt64() >> 40) * 0x1p-24 }

    /// Uniform in `[low, high)`.
    public func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Uniform in `(0, 1]` with 53 bits, for logarithms.
    @inline(__always)
    private func openUnitDouble() -> Double { Double((nextUInt64() >> 11) + 1) * 0x1p-53 }

    /// A standard normal deviate (Box–Muller in double precision; pairs are used in order).
    public func normal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let (a, b) = normalPair()
        spareNormal = b
        return a
    }

    @inline(__always)
    private func normalPair() -> (Float, Float) {
        let radius = (-2 * Foundation.log(openUnitDouble())).squareRoot()
        let angle = 2 * Double.pi * Double(nextUInt64() >> 11) * 0x1p-53
        return (Float(radius * Foundation.cos(angle)), Float(radius * Foundation.sin(angle)))
    }

    /// Fills `buffer` with uniform values in `[low, high)`.
    public func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, low: Float = 0, high: Float = 1) {
        let span = high - low
        for i in buffer.indices { buffer[i] = low + span * uniform() }
    }

    /// Fills `buffer` with normal values of the given mean and standard deviation.
    public func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        var i = buffer.startIndex
        if i < buffer.endIndex, let spare = spareNormal {
            buffer[i] = mean + std * spare
            spareNormal = nil
            i += 1
        }
        while i + 1 < buffer.endIndex {
            let (a, b) = normalPair()
            buffer[i] = mean + std * a
            buffer[i + 1] = mean + std * b
            i += 2
        }
        if i < buffer.endIndex { buffer[i] = mean + std * normal() }
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's multiply-and-reject).
    public func int(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(uniform(below: UInt64(bound)))
    }

    /// A uniform integer in `0..<n`, n ≥ 2 (Lemire's multiply-and-reject).
    package func uniform(below n: UInt64) -> UInt64 {
        var product = nextUInt64().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = nextUInt64().multipliedFullWidth(by: n) }
        }
        return product.high
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public func permutation(_ count: Int) -> [Int] {
        var result = Array(0..<max(count, 0))
        shuffle(&result)
        return result
    }

    /// Shuffles `array` in place, uniformly (Fisher–Yates).
    public func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            array.swapAt(i, int(below: i + 1))
            i -= 1
        }
    }
}
