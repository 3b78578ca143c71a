import Foundation

extension Tensor {
    /// `exp(x) / Σ exp(x)` along `dim`, computed stably (max subtracted first).
    public func softmax(dim: Int = -1) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: "softmax", shape: shape)
        let out = normalizedExp(dim: d, log: false)
        let y = out.detach(), lanes = SoftmaxLanes(shape, d)
        return Tensor.record(out, op: "softmax", parents: [self]) { g in
            // dx = y · (g − Σ g·y)
            let grad = Tensor.make(y.shape)
            let gp = g.storage.pointer, yp = y.storage.pointer, r = grad.storage.pointer
            lanes.forEach { base, n, s in
                var dot: Float = 0
                for k in 0..<n { dot += gp[base + k * s] * yp[base + k * s] }
                for k in 0..<n { r[base + k * s] = yp[base + k * s] * (gp[base + k * s] - dot) }
            }
            return [grad]
        }
    }

    /// `x − log Σ exp(x)` along `dim`, computed stably.
    public func logSoftmax(dim: Int = -1) throws -> Tensor {
        let d = try Dim.normalize(dim, rank: rank, op: "log_softmax", shape: shape)
        let out = normalizedExp(dim: d, log: true)
        let y = out.detach(), lanes = SoftmaxLanes(shape, d)
        return Tensor.record(out, op: "log_softmax", parents: [self]) { g in
            // dx = g − softmax · Σ g
            let grad = Tensor.make(y.shape)
            let gp = g.storage.pointer, yp = y.storage.pointer, r = grad.storage.pointer
            lanes.forEach { base, n, s in
                var total: Float = 0
                for k in 0..<n { total += gp[base + k * s] }
                for k in 0..<n { r[base + k * s] = gp[base + k * s] - Foundation.exp(yp[base + k * s]) * total }
            }
            return [grad]
        }
    }

    /// Untracked softmax (or log-softmax) along validated dimension `d`.
    func normalizedExp(dim d: Int, log: Bool) -> Tensor {
        let out = Tensor.make(shape)
        let x = storage.pointer, y = out.storage.pointer
        SoftmaxLanes(shape, d).forEach { base, n, s in
            var peak = -Float.infinity
            for k in 0..<n { peak = Swift.max(peak, x[base + k * s]) }
            if peak == -.infinity { peak = 0 }   // an all −∞ lane stays finite-safe
            var total: Float = 0
            for k in 0..<n {
                let e = Foundation.exp(x[base + k * s] - peak)
                y[base + k * s] = e
                total += e
            }
            if log {
                let offset = peak + Foundation.log(total)
                for k in 0..<n { y[base + k * s] = x[base + k * s] - offset }
            } else {
                let scale = 1 / total
                for k in 0..<n { y[base + k * s] *= scale }
            }
        }
        return out
    }
}

/// The 1-D lanes along one dimension of a contiguous tensor: each has a start offset, a length
/// and a stride (1 for the last dimension, the fast case).
struct SoftmaxLanes {
    let outer: Int, length: Int, inner: Int

    init(_ shape: [Int], _ d: Int) {
        outer = Dim.product(shape, 0..<d)
        length = shape[d]
        inner = Dim.product(shape, (d + 1)..<shape.count)
    }

    /// Calls `body(start, length, stride)` for every lane. A per-lane (not per-element) call.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        for o in 0..<outer {
            for i in 0..<inner { body(o * length * inner + i, length, inner) }
        }
    }
}
