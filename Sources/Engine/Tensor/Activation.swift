import Foundation

struct ReluFunction: UnaryFunction {
    @inline(__always) func forward(_ x: Float) -> Float { x > 0 ? x : 0 }
    @inline(__always) func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { x > 0 ? g : 0 }
}
struct LeakyReluFunction: UnaryFunction {
    let slope: Float
    @inline(__always) func forward(_ x: Float) -> Float { x > 0 ? x : x * slope }
    @inline(__always) func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { x > 0 ? g : g * slope }
}
/// Exact GELU `x·Φ(x)` with `Φ` the normal CDF via erf (PyTorch's default `approximate='none'`).
struct GeluFunction: UnaryFunction {
    @inline(__always) func forward(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.70710678118654752)) }
    @inline(__always) func backward(_ g: Float, _ x: Float, _ y: Float) -> Float {
        let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
        let pdf = Foundation.exp(-0.5 * x * x) * 0.39894228040143268
        return g * (cdf + x * pdf)
    }
}
struct TanhFunction: UnaryFunction {
    @inline(__always) func forward(_ x: Float) -> Float { tanhf(x) }
    @inline(__always) func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * (1 - y * y) }
}
struct SigmoidFunction: UnaryFunction {
    @inline(__always) func forward(_ x: Float) -> Float {
        // Two branches so that exp never overflows.
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
    @inline(__always) func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * y * (1 - y) }
}

extension Tensor {
    /// `max(x, 0)`; gradient 0 at 0, as PyTorch.
    public func relu() -> Tensor { applyUnary(ReluFunction(), op: "relu") }
    /// `x` for positive inputs, `slope·x` otherwise (PyTorch's default slope is 0.01).
    public func leakyRelu(slope: Float = 0.01) -> Tensor { applyUnary(LeakyReluFunction(slope: slope), op: "leaky_relu") }
    /// GELU in the exact erf form `0.5·x·(1 + erf(x/√2))`, PyTorch's default.
    public func gelu() -> Tensor { applyUnary(GeluFunction(), op: "gelu") }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { applyUnary(TanhFunction(), op: "tanh") }
    /// Logistic sigmoid `1 / (1 + e⁻ˣ)`.
    public func sigmoid() -> Tensor { applyUnary(SigmoidFunction(), op: "sigmoid") }
}
