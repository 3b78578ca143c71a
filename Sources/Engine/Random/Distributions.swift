import Foundation

/// Gamma and Beta draws in double precision (mixup's mixing weights).
extension RandomGenerator {
    /// A standard normal deviate in double precision (Box–Muller on two 53-bit uniforms).
    public func normalDouble() -> Double {
        let u1 = Double((nextUInt64() >> 11) + 1) * 0x1p-53   // (0, 1]: the log is finite
        let u2 = uniformDouble()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// A Gamma(`shape`, 1) deviate (Marsaglia & Tsang 2000; shapes below 1 through
    /// Gamma(shape + 1)·U^(1/shape)). `shape` must be positive.
    public func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive")
        if shape < 1 {
            let u = Double((nextUInt64() >> 11) + 1) * 0x1p-53
            return gamma(shape: shape + 1) * Foundation.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = normalDouble()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniformDouble()
            if u < 1 - 0.0331 * x * x * x * x || Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) {
                return d * v
            }
        }
    }

    /// A Beta(`a`, `b`) deviate, as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b). Both must be positive.
    public func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a), y = gamma(shape: b)
        return x + y > 0 ? x / (x + y) : (uniformDouble() < a / (a + b) ? 1 : 0)   // both underflowed: tiny shapes
    }
}
