import Foundation

/// A differentiable scalar function: its value and the chain-rule step
/// `gradInput = backward(gradOutput, input, output)`. Structs, so kernels specialise them.
protocol UnaryFunction {
    func forward(_ x: Float) -> Float
    func backward(_ g: Float, _ x: Float, _ y: Float) -> Float
}

extension Tensor {
    /// Applies `f` elementwise and records its backward.
    func applyUnary<F: UnaryFunction>(_ f: F, op: String) -> Tensor {
        let out = Tensor.make(shape)
        let x = storage.pointer, y = out.storage.pointer
        ParallelChunks.run(count) { range in
            for i in range { y[i] = f.forward(x[i]) }
        }
        let input = self, output = out.detach()
        return Tensor.record(out, op: op, parents: [self]) { g in
            let grad = Tensor.make(input.shape)
            let gp = g.storage.pointer, xp = input.storage.pointer, yp = output.storage.pointer, r = grad.storage.pointer
            ParallelChunks.run(grad.count) { range in
                for i in range { r[i] = f.backward(gp[i], xp[i], yp[i]) }
            }
            return [grad]
        }
    }
}

struct AddScalar: UnaryFunction {
    package let s: Float
    @inline(__always) package func forward(_ x: Float) -> Float { x + s }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g }
}
struct MulScalar: UnaryFunction {
    package let s: Float
    @inline(__always) package func forward(_ x: Float) -> Float { x * s }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * s }
}
/// `s - x`.
struct ScalarMinus: UnaryFunction {
    package let s: Float
    @inline(__always) package func forward(_ x: Float) -> Float { s - x }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { -g }
}
/// `s / x`.
struct ScalarOver: UnaryFunction {
    package let s: Float
    @inline(__always) package func forward(_ x: Float) -> Float { s / x }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { -g * y / x }
}
struct ExpFunction: UnaryFunction {
    @inline(__always) package func forward(_ x: Float) -> Float { FastMath.exp(x) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * y }
}
struct LogFunction: UnaryFunction {
    @inline(__always) package func forward(_ x: Float) -> Float { Foundation.log(x) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g / x }
}
struct SqrtFunction: UnaryFunction {
    @inline(__always) package func forward(_ x: Float) -> Float { x.squareRoot() }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { g * 0.5 / y }
}
struct AbsFunction: UnaryFunction {
    @inline(__always) package func forward(_ x: Float) -> Float { Swift.abs(x) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}
struct PowScalar: UnaryFunction {
    package let p: Float
    @inline(__always) package func forward(_ x: Float) -> Float {
        p == 2 ? x * x : Foundation.pow(x, p)
    }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float {
        p == 2 ? 2 * g * x : g * p * Foundation.pow(x, p - 1)
    }
}
/// Clamps to `[lo, hi]`; the gradient passes where the input is inside (bounds included, as PyTorch).
struct ClampFunction: UnaryFunction {
    package let lo: Float, hi: Float
    @inline(__always) package func forward(_ x: Float) -> Float { Swift.min(Swift.max(x, lo), hi) }
    @inline(__always) package func backward(_ g: Float, _ x: Float, _ y: Float) -> Float { x >= lo && x <= hi ? g : 0 }
}

extension Tensor {
    /// Elementwise `eˣ`.
    public func exp() -> Tensor { applyUnary(ExpFunction(), op: "exp") }
    /// Elementwise natural logarithm.
    public func log() -> Tensor { applyUnary(LogFunction(), op: "log") }
    /// Elementwise square root.
    public func sqrt() -> Tensor { applyUnary(SqrtFunction(), op: "sqrt") }
    /// Elementwise absolute value (gradient 0 at 0).
    public func abs() -> Tensor { applyUnary(AbsFunction(), op: "abs") }
    /// Elementwise `xᵖ` for a scalar exponent.
    public func pow(_ exponent: Float) -> Tensor { applyUnary(PowScalar(p: exponent), op: "pow") }
    /// Elementwise clamp to `[min, max]` (either bound may be omitted).
    public func clamp(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        applyUnary(ClampFunction(lo: lo, hi: hi), op: "clamp")
    }

    /// Adds a scalar to every element.
    public static func + (a: Tensor, s: Float) -> Tensor { a.applyUnary(AddScalar(s: s), op: "add") }
    /// Adds a scalar to every element.
    public static func + (s: Float, a: Tensor) -> Tensor { a.applyUnary(AddScalar(s: s), op: "add") }
    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, s: Float) -> Tensor { a.applyUnary(AddScalar(s: -s), op: "sub") }
    /// `s - a` elementwise.
    public static func - (s: Float, a: Tensor) -> Tensor { a.applyUnary(ScalarMinus(s: s), op: "sub") }
    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, s: Float) -> Tensor { a.applyUnary(MulScalar(s: s), op: "mul") }
    /// Multiplies every element by a scalar.
    public static func * (s: Float, a: Tensor) -> Tensor { a.applyUnary(MulScalar(s: s), op: "mul") }
    /// Divides every element by a scalar.
    public static func / (a: Tensor, s: Float) -> Tensor { a.applyUnary(MulScalar(s: 1 / s), op: "div") }
    /// `s / a` elementwise.
    public static func / (s: Float, a: Tensor) -> Tensor { a.applyUnary(ScalarOver(s: s), op: "div") }
    /// Elementwise negation.
    public static prefix func - (a: Tensor) -> Tensor { a.applyUnary(MulScalar(s: -1), op: "neg") }
}
