import Foundation
import EngineFormats

extension Tensor {
    /// `exp(x) / Σ exp(x)` along `dim`, computed stably (max subtracted first).
    public func softmax(dim: Int = -1) throws -> Tensor { try softmaxFamily(dim: dim, op: "softmax", log: false) }

    /// `x − log Σ exp(x)` along `dim`, computed stably.
    public func logSoftmax(dim: Int = -1) throws -> Tensor { try softmaxFamily(dim: dim, op: "log_softmax", log: true) }

    private func softmaxFamily(dim: Int, op: String, log: Bool) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: op, shape: shape)
        let out = normalizedExp(dim: d, log: log)
        let y = out.detach(), lanes = Lanes(shape, d)
        return Tensor.record(out, op: op, parents: [self]) { g in
            let grad = Tensor.make(y.shape)
            lanes.run(SoftmaxBackward(g: g.storage.pointer, y: y.storage.pointer, r: grad.storage.pointer, log: log))
            return [grad]
        }
    }

    /// Untracked softmax (or log-softmax) along validated dimension `d`.
    func normalizedExp(dim d: Int, log: Bool) -> Tensor {
        let out = Tensor.make(shape)
        Lanes(shape, d).run(SoftmaxForward(x: storage.pointer, y: out.storage.pointer, log: log))
        return out
    }
}

/// A lane stride known at compile time (1) or at run time, so kernels specialise the contiguous
/// case into vectorised loops.
protocol LaneStride { var value: Int { get } }
/// Stride 1: the last dimension.
struct UnitStride: LaneStride { @inline(__always) var value: Int { 1 } }
/// Any other stride.
struct RuntimeStride: LaneStride { let value: Int }

/// Work done on one lane (`n` values from `base`, `stride` apart).
protocol LaneKernel {
    func lane<S: LaneStride>(_ base: Int, _ n: Int, _ stride: S)
}

/// Stable softmax / log-softmax of one lane.
struct SoftmaxForward: LaneKernel {
    package let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, log: Bool

    @inline(__always)
    func lane<S: LaneStride>(_ base: Int, _ n: Int, _ stride: S) {
        let s = stride.value, x = self.x + base, y = self.y + base
        var peak = -Float.infinity
        for k in 0..<n { peak = Swift.max(peak, x[k * s]) }
        if peak == -.infinity { peak = 0 }   // an all −∞ lane: avoid ∞ − ∞
        for k in 0..<n { y[k * s] = FastMath.exp(x[k * s] - peak) }
        var total: Float = 0
        if s == 1 { total = VectorSum.sum(y, n) } else { for k in 0..<n { total += y[k * s] } }
        if log {
            let offset = peak + Foundation.log(total)
            for k in 0..<n { y[k * s] = x[k * s] - offset }
        } else {
            let scale = 1 / total
            for k in 0..<n { y[k * s] *= scale }
        }
    }
}

/// Backward of one lane: `dx = y·(g − Σ g·y)` for softmax, `dx = g − exp(y)·Σ g` for
/// log-softmax (`y` is the saved output).
struct SoftmaxBackward: LaneKernel {
    package let g: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, r: UnsafeMutablePointer<Float>, log: Bool

    @inline(__always)
    func lane<S: LaneStride>(_ base: Int, _ n: Int, _ stride: S) {
        let s = stride.value, g = self.g + base, y = self.y + base, r = self.r + base
        var total: Float = 0
        if log {
            if s == 1 { total = VectorSum.sum(g, n) } else { for k in 0..<n { total += g[k * s] } }
            for k in 0..<n { r[k * s] = g[k * s] - FastMath.exp(y[k * s]) * total }
        } else {
            if s == 1 { total = VectorSum.dot(g, y, n) } else { for k in 0..<n { total += g[k * s] * y[k * s] } }
            for k in 0..<n { r[k * s] = y[k * s] * (g[k * s] - total) }
        }
    }
}

/// The 1-D lanes along one dimension of a contiguous tensor.
struct Lanes {
    let outer: Int, length: Int, inner: Int

    init(_ shape: [Int], _ d: Int) {
        outer = Dim.product(shape, 0..<d)
        length = shape[d]
        inner = Dim.product(shape, (d + 1)..<shape.count)
    }

    /// Runs `kernel` on every lane, split over the cores by outer index for large tensors;
    /// last-dimension lanes get the compile-time unit stride.
    package func run<K: LaneKernel>(_ kernel: K) {
        let (length, inner) = (self.length, self.inner)
        ParallelChunks.run(outer, minimumPerChunk: Swift.max(1, (1 << 14) / Swift.max(length * inner, 1))) { range in
            if inner == 1 {
                for o in range { kernel.lane(o * length, length, UnitStride()) }
                return
            }
            for o in range {
                for i in 0..<inner { kernel.lane(o * length * inner + i, length, RuntimeStride(value: inner)) }
            }
        }
    }
}
