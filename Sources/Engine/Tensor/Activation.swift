import Foundation

struct LeakyReluFunction: UnaryFunction {
    package let slope: Float
    @inline(__always) package func forward(_ x: Float) -> Float { x > 0 ? x : x * slope }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { x > 0 ? g : g * slope }
}
/// Exact GELU `x·Φ(x)` with `Φ` the normal CDF via erf (PyTorch's default `approximate='none'`).
struct GeluFunction: UnaryFunction {
    @inline(__always) package func forward(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.70710678118654752)) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float {
        let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
        let pdf = Foundation.exp(-0.5 * x * x) * 0.39894228040143268
        return g * (cdf + x * pdf)
    }
}
struct TanhFunction: UnaryFunction {
    @inline(__always) package func forward(_ x: Float) -> Float { FastMath.tanh(x) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * (1 - y * y) }
}
struct SigmoidFunction: UnaryFunction {
    /// For very negative x, e⁻ˣ is ∞ and the result the correct limit 0.
    @inline(__always) package func forward(_ x: Float) -> Float { 1 / (1 + FastMath.exp(-x)) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * y * (1 - y) }
}

extension Tensor {
    /// `max(x, 0)`; gradient 0 at 0, as PyTorch.
    /// Its backward reads only the output (`y > 0` exactly where `x > 0`), so the input is not kept.
    public func relu() -> Tensor {
        let out = Tensor.make(shape)
        let x = storage.pointer, y = out.storage.pointer
        ParallelChunks.run(count) { range in
            for i in range { y[i] = x[i] > 0 ? x[i] : 0 }
        }
        let output = out.detach()
        return Tensor.record(out, op: "relu", parents: [self]) { g in
            let grad = Tensor.make(output.shape)
            let gp = g.storage.pointer, yp = output.storage.pointer, r = grad.storage.pointer
            ParallelChunks.run(grad.count) { range in
                for i in range {
                    let g = gp[i]   // loaded unconditionally, so the select vectorises
                    r[i] = yp[i] > 0 ? g : 0
                }
            }
            return [grad]
        }
    }
    /// `x` for positive inputs, `slope·x` otherwise (PyTorch's default slope is 0.01).
    public func leakyRelu(slope: Float = 0.01) -> Tensor { applyUnary(LeakyReluFunction(slope: slope), op: "leaky_relu") }
    /// GELU in the exact erf form `0.5·x·(1 + erf(x/√2))`, PyTorch's default.
    public func gelu() -> Tensor { applyUnary(GeluFunction(), op: "gelu") }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { applyUnary(TanhFunction(), op: "tanh") }
    /// Logistic sigmoid `1 / (1 + e⁻ˣ)`.
    public func sigmoid() -> Tensor { applyUnary(SigmoidFunction(), op: "sigmoid") }
}
