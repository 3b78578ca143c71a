import EngineFormats

extension Tensor {
    /// Sum over `dims` (all dimensions when empty); `keepDim` leaves them as size 1.
    public func sum(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let reduced = try reductionDims(dims, op: "sum")
        var out = reduced.isEmpty ? clone() : self
        for d in reduced.sorted(by: >) { out = out.summed(alongValidated: d) }
        let keptShape = shape.indices.map { reduced.contains($0) ? 1 : shape[$0] }
        let result = Tensor(shape: keepDim ? keptShape : keptShape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element),
                            storage: out.storage)
        let inputShape = shape
        return Tensor.record(result, op: "sum", parents: [self]) { g in
            [Tensor(shape: keptShape, storage: g.storage).broadcastCopy(to: inputShape)]
        }
    }

    /// Sum along one dimension.
    public func sum(dim: Int, keepDim: Bool = false) throws -> Tensor { try sum(dims: [dim], keepDim: keepDim) }

    /// Mean over `dims` (all dimensions when empty).
    public func mean(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let reduced = try reductionDims(dims, op: "mean")
        let n = reduced.reduce(1) { $0 * shape[$1] }
        return try sum(dims: dims, keepDim: keepDim) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean along one dimension.
    public func mean(dim: Int, keepDim: Bool = false) throws -> Tensor { try mean(dims: [dim], keepDim: keepDim) }

    /// Variance over `dims` (all when empty) with `correction` subtracted from the count
    /// (1 = unbiased, PyTorch's default; 0 = population, as batch normalisation uses).
    public func variance(dims: [Int] = [], correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        let reduced = try reductionDims(dims, op: "var")
        let n = reduced.reduce(1) { $0 * shape[$1] }
        let centered = try self - mean(dims: dims, keepDim: true)
        return try (centered * centered).sum(dims: dims, keepDim: keepDim) * (1 / Float(Swift.max(n - correction, 0)))
    }

    /// Standard deviation over `dims`: the square root of `variance` (same `correction`).
    public func std(dims: [Int] = [], correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try variance(dims: dims, correction: correction, keepDim: keepDim).sqrt()
    }

    /// Smallest value along `dim` and where it is (first occurrence), as `−max(−x)`.
    public func min(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let (values, indices) = try (-self).max(dim: dim, keepDim: keepDim)
        return (-values, indices)
    }

    /// Index of the smallest value along `dim` as float values.
    public func argmin(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try GradMode.withDisabled { try min(dim: dim, keepDim: keepDim).indices }
    }

    /// Largest value along `dim` and where it is (first occurrence); the gradient flows to that
    /// position only.
    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let d = try Dim.normalize(dim, rank: rank, op: "max", shape: shape)
        guard shape[d] > 0 else { throw TensorError(op: "max", reason: "dimension \(dim) of shape \(shape) is empty") }
        let outer = Dim.product(shape, 0..<d), n = shape[d], inner = Dim.product(shape, (d + 1)..<rank)
        var keptShape = shape
        keptShape[d] = 1
        let outShape = keepDim ? keptShape : shape.enumerated().filter { $0.offset != d }.map(\.element)
        let values = Tensor.make(outShape), indices = Tensor.make(outShape)
        let src = storage.pointer, vp = values.storage.pointer, ip = indices.storage.pointer
        for o in 0..<outer {
            let base = src + o * n * inner
            for i in 0..<inner {
                var best = base[i], at = 0
                for k in 1..<n where base[k * inner + i] > best {
                    best = base[k * inner + i]
                    at = k
                }
                vp[o * inner + i] = best
                ip[o * inner + i] = Float(at)
            }
        }
        let inputShape = shape
        let result = Tensor.record(values, op: "max", parents: [self]) { g in
            let grad = Tensor(shape: inputShape, storage: TensorStorage(count: Dim.count(inputShape), repeating: 0))
            let gp = g.storage.pointer, dst = grad.storage.pointer, ip = indices.storage.pointer
            for o in 0..<outer {
                for i in 0..<inner { dst[(o * n + Int(ip[o * inner + i])) * inner + i] += gp[o * inner + i] }
            }
            return [grad]
        }
        return (result, indices)
    }

    /// Largest element of the whole tensor (gradient to its first occurrence).
    public func max() throws -> Tensor { try reshape([-1]).max(dim: 0).values }

    /// Index of the largest value along `dim` as float values (exact below 2²⁴).
    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try GradMode.withDisabled { try max(dim: dim, keepDim: keepDim).indices }
    }

    /// Validated, de-duplicated reduction dimensions; all dimensions when `dims` is empty.
    private func reductionDims(_ dims: [Int], op: String) throws -> Set<Int> {
        if dims.isEmpty { return Set(0..<rank) }
        let normalized = try dims.map { try Dim.normalize($0, rank: rank, op: op, shape: shape) }
        guard Set(normalized).count == normalized.count else {
            throw TensorError(op: op, reason: "dimensions \(dims) repeat for shape \(shape)")
        }
        return Set(normalized)
    }

    /// Untracked sum along validated dimension `d`, keeping it as size 1.
    func summed(alongValidated d: Int) -> Tensor {
        let outer = Dim.product(shape, 0..<d), n = shape[d], inner = Dim.product(shape, (d + 1)..<rank)
        var outShape = shape
        outShape[d] = 1
        let out = Tensor(shape: outShape, storage: TensorStorage(count: outer * inner, repeating: 0))
        let src = storage.pointer, dst = out.storage.pointer
        for o in 0..<outer {
            let base = src + o * n * inner, acc = dst + o * inner
            if inner == 1 {
                acc[0] = VectorSum.sum(base, n)
            } else {
                for k in 0..<n {
                    let row = base + k * inner
                    for i in 0..<inner { acc[i] += row[i] }
                }
            }
        }
        return out
    }

    /// Untracked copy of this tensor broadcast to `target` (already known compatible).
    func broadcastCopy(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let out = Tensor.make(target)
        copyRows(BroadcastPlan(outShape: target, inputs: [shape]), from: storage.pointer, to: out.storage.pointer)
        return out
    }
}
